/**
 * Text normalisation and word splitting, shared by queries and items so that a query term
 * and the text it should match are always cut the same way (../shared/DESIGN.md, "Words").
 */

import { foldText, NEEDS_UNICODE } from "../../lib/fold";

export { foldText, removeInvisible } from "../../lib/fold";

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
