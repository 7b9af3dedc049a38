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
/** Anything but printable ASCII and common whitespace sends a text down the Unicode path. */
const NOT_PLAIN_ASCII = /[^\t\n\r -~]/;

/** Case- and accent-insensitive form: NFKD, combining marks stripped, lowercased, a few letters folded. */
export function foldText(text: string): string {
  if (!NOT_PLAIN_ASCII.test(text)) return text.toLowerCase();
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

const WORD = /[\p{L}\p{N}]+/gu;
/** The same, anchored at lastIndex (the word right after a hyphen). */
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
  const words: string[] = [];
  // The regex engine finds the runs (far faster than a loop over characters); only the
  // character right after a run is looked at for hyphens and apostrophes.
  const runs = WORD;
  runs.lastIndex = 0;
  for (let match = runs.exec(folded); match; match = runs.exec(folded)) {
    let word = match[0];
    let end = runs.lastIndex;
    if (BOUND_PREFIXES.has(word) && HYPHENS.has(folded.charAt(end)) && !isAcronym(text, folded, match.index, end)) {
      WORD_HERE.lastIndex = end + 1;
      const joined = WORD_HERE.exec(folded);
      if (joined) {
        word += joined[0];
        end = WORD_HERE.lastIndex;
        runs.lastIndex = end;
      }
    }
    if (APOSTROPHES.has(folded.charAt(end)) && folded.charAt(end + 1) === "s") {
      WORD_HERE.lastIndex = end + 2;
      if (!WORD_HERE.test(folded)) runs.lastIndex = end + 2;
    }
    words.push(word);
  }
  return words;
}

/** "UN-backed": the prefix is in capitals and the word after the hyphen is not. */
function isAcronym(text: string, folded: string, start: number, hyphen: number): boolean {
  const original = !NOT_PLAIN_ASCII.test(text) ? text : text.normalize("NFKD").replace(MARKS, "");
  // The case check needs the original letters at the same offsets; skip it if folding moved them.
  if (original.length !== folded.length) return false;
  const prefix = original.slice(start, hyphen);
  if (prefix !== prefix.toUpperCase()) return false;
  WORD_HERE.lastIndex = hyphen + 1;
  const after = WORD_HERE.exec(original)?.[0] ?? "";
  return after !== after.toUpperCase();
}
