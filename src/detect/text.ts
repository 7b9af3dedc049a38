/** Text helpers for detection: folding, sentence splitting and word tokens. */
import { foldText } from "../lib/fold";

/**
 * Case- and accent-insensitive form (the one folding, src/lib/fold), with typographic quotes
 * and dashes made plain first: the detector's cues are written with ' " and -.
 */
export function fold(text: string): string {
  const plain = text
    .replace(/[’‘ʼ]/g, "'")
    .replace(/[“”„]/g, '"')
    .replace(/[‐‑–—]/g, "-")
    // Spaces, leaders (…) and doubled marks of General Punctuation, in their compatibility form.
    .replace(/[\u2000-\u200a\u2024-\u2026\u2033\u2034\u2036\u2037\u203c\u2047-\u2049\u205f]/g, (c) =>
      c.normalize("NFKD"),
    );
  return foldText(plain);
}

const WORD = /[\p{L}\p{N}]+(?:'s)?/gu;

/** Folded words of a text ("Z's" gives "z's"; hyphens split). */
export function words(foldedText: string): string[] {
  return foldedText.match(WORD) ?? [];
}

// Abbreviations whose full stop does not end a sentence.
const ABBREVIATIONS = new Set([
  "mr",
  "mrs",
  "ms",
  "dr",
  "st",
  "gen",
  "lt",
  "col",
  "sgt",
  "gov",
  "sen",
  "rep",
  "jan",
  "feb",
  "mar",
  "apr",
  "jun",
  "jul",
  "aug",
  "sep",
  "sept",
  "oct",
  "nov",
  "dec",
  "no",
  "vs",
  "jr",
  "sr",
  "u.s",
  "u.k",
  "u.n",
  "e.g",
  "i.e",
  "inc",
  "corp",
  "co",
]);

/** Splits plain text into sentences; keeps abbreviations and initials ("Feb. 28", "J. Smith") whole. */
export function splitSentences(text: string): string[] {
  const out: string[] = [];
  const trimmed = text.replace(/\s+/g, " ").trim();
  if (!trimmed) return out;
  let start = 0;
  const re = /[.!?]+["'”’)]*(?=\s+["'“‘(]?[\p{Lu}\p{N}])/gu;
  for (let m = re.exec(trimmed); m; m = re.exec(trimmed)) {
    const end = m.index + m[0].length;
    const before = trimmed.slice(start, m.index);
    const lastWord = (before.match(/([\p{L}.]+)$/u)?.[1] ?? "").toLowerCase();
    if (m[0].startsWith(".") && (ABBREVIATIONS.has(lastWord) || /^\p{L}$/u.test(lastWord))) continue;
    out.push(trimmed.slice(start, end).trim());
    start = end;
  }
  const rest = trimmed.slice(start).trim();
  if (rest) out.push(rest);
  return out;
}

/** 32-bit FNV-1a of a string. */
export function fnv1a32(text: string, seed = 0x811c9dc5): number {
  let h = seed >>> 0;
  for (let i = 0; i < text.length; i++) {
    h ^= text.charCodeAt(i);
    h = Math.imul(h, 0x01000193) >>> 0;
  }
  return h >>> 0;
}

/** Short stable hex digest of a string (two FNV-1a passes). */
export function digest(text: string): string {
  return fnv1a32(text).toString(16).padStart(8, "0") + fnv1a32(text, 0x2545f491).toString(16).padStart(8, "0");
}
