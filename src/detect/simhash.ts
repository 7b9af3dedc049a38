/**
 * SimHash-64 (Charikar 2002) over word shingles of the normalised title and summary, held
 * as two 32-bit halves so it is plain JSON. Near-duplicates (wire copies re-published by
 * other outlets) differ in a few bits; an LSH index over four 16-bit bands finds candidates.
 */
import { fnv1a32, fold, words } from "./text";

export type SimHash = [number, number];

const STOP = new Set(["the", "a", "an", "of", "to", "in", "on", "and", "for", "at", "by", "with", "its", "his", "her"]);

export function simhash(text: string): SimHash {
  const tokens = words(fold(text)).filter((w) => !STOP.has(w));
  const counts = new Int32Array(64);
  const shingles: string[] = [];
  for (let i = 0; i < tokens.length; i++) {
    shingles.push(i + 1 < tokens.length ? `${tokens[i]} ${tokens[i + 1]}` : (tokens[i] as string));
  }
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

/** Four 16-bit bands: two hashes within 3 bits of each other share at least one band. */
export function bands(h: SimHash): string[] {
  return [`0:${h[0] & 0xffff}`, `1:${h[0] >>> 16}`, `2:${h[1] & 0xffff}`, `3:${h[1] >>> 16}`];
}

/** Bits of difference below which two texts count as copies of one another. */
export const NEAR_DUPLICATE_BITS = 12;

/** Candidate lookup by band, then exact Hamming check. */
export class SimHashIndex<T> {
  private readonly byBand = new Map<string, Array<{ hash: SimHash; value: T }>>();

  add(hash: SimHash, value: T): void {
    for (const band of bands(hash)) {
      const list = this.byBand.get(band) ?? [];
      list.push({ hash, value });
      this.byBand.set(band, list);
    }
  }

  nearest(hash: SimHash, maxBits = NEAR_DUPLICATE_BITS): { value: T; distance: number } | null {
    let best: { value: T; distance: number } | null = null;
    for (const band of bands(hash)) {
      for (const entry of this.byBand.get(band) ?? []) {
        const distance = hamming(hash, entry.hash);
        if (distance <= maxBits && (!best || distance < best.distance)) best = { value: entry.value, distance };
      }
    }
    return best;
  }
}
