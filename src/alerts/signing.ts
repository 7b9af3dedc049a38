/**
 * Standard Webhooks signatures (https://www.standardwebhooks.com/, "Signature scheme"):
 * `v1,` + base64(HMAC-SHA256(key, `${webhook-id}.${webhook-timestamp}.${body}`)), where the
 * key is the base64-decoded part of the `whsec_` secret. WebCrypto does the HMAC natively;
 * test/alerts/signing.test.ts proves it against the spec's vector and the reference library.
 */

const encoder = new TextEncoder();
export const SECRET_PREFIX = "whsec_";

export function base64Encode(bytes: Uint8Array): string {
  let binary = "";
  for (const byte of bytes) binary += String.fromCharCode(byte);
  return btoa(binary);
}

export function base64Decode(text: string): Uint8Array {
  const binary = atob(text);
  const bytes = new Uint8Array(binary.length);
  for (let i = 0; i < binary.length; i++) bytes[i] = binary.charCodeAt(i);
  return bytes;
}

/** A new signing secret: `whsec_` + base64 of 32 random bytes (the spec allows 24–64). */
export function newSigningSecret(): string {
  return SECRET_PREFIX + base64Encode(crypto.getRandomValues(new Uint8Array(32)));
}

export interface SignedHeaders {
  "webhook-id": string;
  "webhook-timestamp": string;
  "webhook-signature": string;
}

export async function signatureFor(
  secret: string,
  messageId: string,
  timestampSeconds: number,
  body: string,
): Promise<string> {
  const keyBytes = base64Decode(secret.startsWith(SECRET_PREFIX) ? secret.slice(SECRET_PREFIX.length) : secret);
  const key = await crypto.subtle.importKey("raw", keyBytes, { name: "HMAC", hash: "SHA-256" }, false, ["sign"]);
  const mac = await crypto.subtle.sign("HMAC", key, encoder.encode(`${messageId}.${timestampSeconds}.${body}`));
  return `v1,${base64Encode(new Uint8Array(mac))}`;
}

export async function signedHeaders(
  secret: string,
  messageId: string,
  timestampSeconds: number,
  body: string,
): Promise<SignedHeaders> {
  return {
    "webhook-id": messageId,
    "webhook-timestamp": String(timestampSeconds),
    "webhook-signature": await signatureFor(secret, messageId, timestampSeconds, body),
  };
}
