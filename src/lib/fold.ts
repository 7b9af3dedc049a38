/**
 * The one text folding: case- and accent-insensitive, invisible characters removed. Queries,
 * items and the detector all fold through it, so a term and the text it should match are
 * folded the same way (DESIGN.md, "case- and accent-insensitive").
 */

/** Characters that NFKD leaves alone but readers treat as plain letters (or, for ʼ, punctuation). */
const FOLDS: Record<string, string> = {
  ß: "ss",
  æ: "ae",
  œ: "oe",
  ø: "o",
  ł: "l",
  đ: "d",
  ð: "d",
  þ: "th",
  ı: "i",
  // U+02BC counts as a letter in Unicode, but in news text it is an apostrophe (Kyivʼs).
  ʼ: "'",
};
const FOLD_PATTERN = /[ßæœøłđðþıʼ]/g;
const MARKS = /\p{M}+/gu;
/**
 * Anything but printable ASCII, common whitespace and General Punctuation (curly quotes,
 * dashes: never part of a word) sends a text down the Unicode path.
 */
export const NEEDS_UNICODE = /[^\t\n\r -~\u2000-\u206f]/;

function foldFully(text: string): string {
  return text
    .normalize("NFKD")
    .replace(MARKS, "")
    .toLowerCase()
    .replace(FOLD_PATTERN, (c) => FOLDS[c] ?? c);
}

/**
 * Most accented text in the news is Latin (Türkiye, Erdoğan, Sánchez): its characters are
 * folded from a table built once with the full rule, which is much faster than normalising
 * every text. Anything outside Latin-1 and Latin Extended-A takes the full path.
 */
const BEYOND_LATIN = /[^\t\n\r -~\u00a0-\u017f\u2000-\u206f]/;
const LATIN_LETTER = /[\u00a0-\u017f]/g;
const LATIN_FOLDS: Record<string, string> = {};
for (let code = 0xa0; code <= 0x17f; code++) {
  const ch = String.fromCharCode(code);
  LATIN_FOLDS[ch] = foldFully(ch);
}

/**
 * Characters that draw nothing: zero-width space, non-joiner and joiner (U+200B–U+200D), word
 * joiner (U+2060), the byte-order mark (U+FEFF), and the bidirectional controls (U+061C,
 * U+200E, U+200F, U+202A–U+202E, U+2066–U+2069, Unicode UAX #9). Inside a word they would
 * split it ("Pu\u200btin" is two words to a regex, one to a reader), so they are removed.
 */
const INVISIBLE = /[\u061c\u200b-\u200f\u202a-\u202e\u2060\u2066-\u2069\ufeff]/;
const INVISIBLE_ALL = new RegExp(INVISIBLE.source, "g");

/** The text without characters that draw nothing (zero-width and bidi controls). */
export function removeInvisible(text: string): string {
  return INVISIBLE.test(text) ? text.replace(INVISIBLE_ALL, "") : text;
}

/**
 * Case- and accent-insensitive form: invisible characters removed, NFKD, combining marks
 * stripped, lowercased, a few letters folded.
 */
export function foldText(raw: string): string {
  const text = removeInvisible(raw);
  if (!NEEDS_UNICODE.test(text)) return text.toLowerCase();
  if (BEYOND_LATIN.test(text)) return foldFully(text);
  // Fold before lowercasing: "İ".toLowerCase() is two characters, one of them a mark.
  return text.replace(LATIN_LETTER, (c) => LATIN_FOLDS[c] ?? foldFully(c)).toLowerCase();
}
