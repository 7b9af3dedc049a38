const encoder = new TextEncoder();

/** SHA-256 (FIPS 180-4) of text (as UTF-8) or bytes, as 64 lowercase hex digits. */
export async function sha256Hex(input: string | Uint8Array): Promise<string> {
  const bytes = typeof input === "string" ? encoder.encode(input) : input;
  const digest = await crypto.subtle.digest("SHA-256", bytes);
  return Array.from(new Uint8Array(digest), (b) => b.toString(16).padStart(2, "0")).join("");
}
