const encoder = new TextEncoder();

/** SHA-256 (FIPS 180-4) of text (as UTF-8) or bytes: the 32 bytes. */
export async function sha256(input: string | Uint8Array): Promise<ArrayBuffer> {
  return crypto.subtle.digest("SHA-256", typeof input === "string" ? encoder.encode(input) : input);
}

/** SHA-256 of text (as UTF-8) or bytes, as 64 lowercase hex digits. */
export async function sha256Hex(input: string | Uint8Array): Promise<string> {
  return Array.from(new Uint8Array(await sha256(input)), (b) => b.toString(16).padStart(2, "0")).join("");
}
