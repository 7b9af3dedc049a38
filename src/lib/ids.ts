/** The one random id generator: prefix + base32 characters (5 bits each), safe in URLs and headers. */
const ALPHABET = "abcdefghijklmnopqrstuvwxyz234567";

/** `prefix` followed by `length` random base32 characters (the default 20 carry 100 bits). */
export function randomId(prefix: string, length = 20): string {
  const bytes = crypto.getRandomValues(new Uint8Array(length));
  let out = prefix;
  for (const byte of bytes) out += ALPHABET[byte & 31];
  return out;
}
