/**
 * Text normalisation and word splitting, shared by queries and items so that a query term
 * and the text it should match are always cut the same way (../shared/DESIGN.md, "Words").
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
const NEEDS_UNICODE = /[^\t\n\r -~\u2000-\u206f]/;

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

/** Prefixes that, before a hyphen, make one word with what follows: "de-escalation" is not "escalation". */
export const BOUND_PREFIXES = new Set(["de", "non", "anti", "un", "dis", "counter"]);

const APOSTROPHE_CODES = new Set([0x27, 0x2019, 0x2bc]); // ' ’ ʼ
const HYPHEN_CODES = new Set([0x2d, 0x2010, 0x2011]); // - ‐ ‑
/** Characters after which a run of letters may continue (bound prefix) or lose an 's. */
const JOINERS = /['’ʼ\-‐‑]/;

const UNICODE_WORDS = /[\p{L}\p{N}]+/gu;
/** Same result as UNICODE_WORDS on text NEEDS_UNICODE passes, and faster. */
const ASCII_WORDS = /[a-z0-9]+/g;
/** A run of letters right at lastIndex (the word after a hyphen, or after 's). */
const WORD_HERE = /[\p{L}\p{N}]+/uy;

/**
 * Splits text into folded words: runs of Unicode letters and digits. A possessive 's/’s is
 * dropped into its word ("Kyiv’s" → kyiv), a hyphen splits ("Putin-Trump" → putin, trump)
 * except after a bound prefix, which joins ("de-escalation" → deescalation, the same word
 * as "deescalation"). An all-capitals prefix before a mixed-case word is an acronym, not a
 * prefix ("UN-backed" → un, backed).
 */
export function splitWords(text: string): string[] {
  const folded = foldText(text);
  const runs = NEEDS_UNICODE.test(folded) ? UNICODE_WORDS : ASCII_WORDS;
  // Most texts have no hyphen or apostrophe: the regex engine alone splits them.
  if (!JOINERS.test(folded)) return folded.match(runs) ?? [];
  const words: string[] = [];
  runs.lastIndex = 0;
  for (let match = runs.exec(folded); match; match = runs.exec(folded)) {
    let word = match[0];
    let end = runs.lastIndex;
    let next = folded.charCodeAt(end);
    if (HYPHEN_CODES.has(next) && BOUND_PREFIXES.has(word) && !isAcronym(text, folded, match.index, end)) {
      WORD_HERE.lastIndex = end + 1;
      const joined = WORD_HERE.exec(folded);
      if (joined) {
        word += joined[0];
        end = WORD_HERE.lastIndex;
        runs.lastIndex = end;
        next = folded.charCodeAt(end);
      }
    }
    if (APOSTROPHE_CODES.has(next) && folded.charCodeAt(end + 1) === 0x73 /* s */) {
      WORD_HERE.lastIndex = end + 2;
      if (!WORD_HERE.test(folded)) runs.lastIndex = end + 2;
    }
    words.push(word);
  }
  return words;
}

/** "UN-backed": the prefix is in capitals and the word after the hyphen is not. */
function isAcronym(text: string, folded: string, start: number, hyphen: number): boolean {
  // The case check reads the original letters at the folded offsets; folding keeps offsets for
  // most text (é → e), and when it did not, the check is skipped.
  if (text.length !== folded.length) return false;
  const prefix = text.slice(start, hyphen);
  if (prefix !== prefix.toUpperCase()) return false;
  WORD_HERE.lastIndex = hyphen + 1;
  const after = WORD_HERE.exec(text)?.[0] ?? "";
  return after !== after.toUpperCase();
}
