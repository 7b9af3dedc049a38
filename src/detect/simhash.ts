/**
 * SimHash-64 (Charikar 2002) over word shingles of the normalised title and summary, held
 * as two 32-bit halves so it is plain JSON. Near-duplicates (wire copies re-published by
 * other outlets) differ in a few bits.
 */
import { fnv1a32, fold, words } from "./text";

export type SimHash = [number, number];

const STOP = new Set(["the", "a", "an", "of", "to", "in", "on", "and", "for", "at", "by", "with", "its", "his", "her"]);

export function simhash(text: string): SimHash {
  // A trailing credit line ("(Meridian Wire)") is the mark of a copy, not a difference.
  const tokens = words(fold(text.replace(/\([^)]{2,40}\)\s*$/, ""))).filter((w) => !STOP.has(w));
  const counts = new Int32Array(64);
  // Words and word pairs: pairs keep some order, words keep a re-titled copy close.
  const shingles: string[] = [...tokens];
  for (let i = 0; i + 1 < tokens.length; i++) shingles.push(`${tokens[i]} ${tokens[i + 1]}`);
  for (const shingle of shingles) {
    const hi = fnv1a32(shingle);
    const lo = fnv1a32(shingle, 0x9747b28c);
    for (let bit = 0; bit < 32; bit++) {
      counts[bit] = (counts[bit] as number) + ((hi >>> bit) & 1 ? 1 : -1);
      counts[bit + 32] = (counts[bit + 32] as number) + ((lo >>> bit) & 1 ? 1 : -1);
    }
  }
  let hi = 0;
  let lo = 0;
  for (let bit = 0; bit < 32; bit++) {
    if ((counts[bit] as number) > 0) hi |= 1 << bit;
    if ((counts[bit + 32] as number) > 0) lo |= 1 << bit;
  }
  return [hi >>> 0, lo >>> 0];
}

function popcount32(x: number): number {
  let v = x >>> 0;
  v -= (v >>> 1) & 0x55555555;
  v = (v & 0x33333333) + ((v >>> 2) & 0x33333333);
  return (((v + (v >>> 4)) & 0x0f0f0f0f) * 0x01010101) >>> 24;
}

export function hamming(a: SimHash, b: SimHash): number {
  return popcount32(a[0] ^ b[0]) + popcount32(a[1] ^ b[1]);
}

/**
 * Bits of difference up to which two texts count as copies of one another: wire copies in the
 * dev corpus sit at 4 bits (re-titled: 14), distinct reports at 14 or more. The detector's state
 * is bounded (1,500 items), so candidates are found by a linear scan of one XOR and popcount
 * each (microseconds) rather than a banded LSH index, which would have to be rebuilt or stored
 * with the state on every call.
 */
export const NEAR_DUPLICATE_BITS = 12;
