/**
 * Text normalisation and word splitting, shared by queries and items so that a query term
 * and the text it should match are always cut the same way (../shared/DESIGN.md, "Words").
 */

/** Letters that NFKD does not decompose but readers treat as their base letters. */
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
};
const FOLD_PATTERN = /[ßæœøłđðþı]/g;
const MARKS = /\p{M}+/gu;
const ASCII_ONLY = /^\p{ASCII}*$/u;

/** Case- and accent-insensitive form: NFKD, combining marks stripped, lowercased, a few letters folded. */
export function foldText(text: string): string {
  if (ASCII_ONLY.test(text)) return text.toLowerCase();
  return text
    .normalize("NFKD")
    .replace(MARKS, "")
    .toLowerCase()
    .replace(FOLD_PATTERN, (c) => FOLDS[c] ?? c);
}

/** Prefixes that, before a hyphen, make one word with what follows: "de-escalation" is not "escalation". */
export const BOUND_PREFIXES = new Set(["de", "non", "anti", "un", "dis", "counter"]);

const APOSTROPHES = new Set(["'", "’", "ʼ"]);
const HYPHENS = new Set(["-", "‐", "‑"]);

// ASCII letters and digits by table; anything else by the Unicode property test.
const ASCII_WORD = new Uint8Array(128);
for (let c = 0; c < 128; c++) {
  const ch = String.fromCharCode(c);
  ASCII_WORD[c] = /[a-zA-Z0-9]/.test(ch) ? 1 : 0;
}
const UNICODE_WORD = /^[\p{L}\p{N}]$/u;

function isWordCodePoint(text: string, index: number): boolean {
  const code = text.charCodeAt(index);
  if (Number.isNaN(code)) return false;
  if (code < 128) return ASCII_WORD[code] === 1;
  const cp = text.codePointAt(index) ?? 0;
  return UNICODE_WORD.test(String.fromCodePoint(cp));
}

function codeUnits(text: string, index: number): number {
  const code = text.charCodeAt(index);
  return code >= 0xd800 && code <= 0xdbff ? 2 : 1;
}

/**
 * Splits text into folded words: runs of Unicode letters and digits. A possessive 's/’s is
 * dropped into its word ("Kyiv’s" → kyiv), a hyphen splits ("Putin-Trump" → putin, trump)
 * except after a bound prefix, which joins ("de-escalation" → deescalation, the same word
 * as "deescalation"). An all-capitals prefix before a mixed-case word is an acronym, not a
 * prefix ("UN-backed" → un, backed).
 */
export function splitWords(text: string): string[] {
  const original = ASCII_ONLY.test(text) ? text : text.normalize("NFKD").replace(MARKS, "");
  const folded = foldText(text);
  // Case checks need the original letters at the same offsets; skip them if folding moved offsets.
  const aligned = original.length === folded.length;
  const words: string[] = [];
  const length = folded.length;
  let i = 0;
  while (i < length) {
    if (!isWordCodePoint(folded, i)) {
      i += codeUnits(folded, i);
      continue;
    }
    let start = i;
    let word = "";
    for (;;) {
      while (i < length && isWordCodePoint(folded, i)) i += codeUnits(folded, i);
      const segment = folded.slice(start, i);
      word += segment;
      const next = folded[i];
      if (
        next !== undefined &&
        HYPHENS.has(next) &&
        word === segment &&
        BOUND_PREFIXES.has(segment) &&
        isWordCodePoint(folded, i + 1) &&
        !(aligned && isAcronymBeforeWord(original, start, i))
      ) {
        start = i + 1;
        i = start;
        continue;
      }
      break;
    }
    if (APOSTROPHES.has(folded[i] ?? "") && folded[i + 1] === "s" && !isWordCodePoint(folded, i + 2)) i += 2;
    words.push(word);
  }
  return words;
}

/** "UN-backed": the prefix is all capitals and the word after the hyphen has a small letter. */
function isAcronymBeforeWord(original: string, start: number, hyphen: number): boolean {
  const prefix = original.slice(start, hyphen);
  if (prefix !== prefix.toUpperCase()) return false;
  let end = hyphen + 1;
  while (end < original.length && isWordCodePoint(original, end)) end += codeUnits(original, end);
  const after = original.slice(hyphen + 1, end);
  return after !== after.toUpperCase();
}
