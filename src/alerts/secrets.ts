import { ConfigError, getConfig } from "../config";
import { base64Decode, base64Encode } from "./signing";

/**
 * Webhook signing secrets are stored encrypted: AES-256-GCM with a key from the
 * WEBHOOK_SECRET_KEY secret (base64 of 32 bytes), a random 96-bit IV per secret, and the
 * webhook id as additional data so a ciphertext cannot be moved to another webhook's row.
 * Stored as `v1.` + base64(iv ‖ ciphertext ‖ tag).
 */

const VERSION_PREFIX = "v1.";
const IV_BYTES = 12;
const encoder = new TextEncoder();
const decoder = new TextDecoder();

const keys = new Map<string, Promise<CryptoKey>>();

function encryptionKey(env: Env): Promise<CryptoKey> {
  const encoded = getConfig(env).webhookSecretKey;
  let key = keys.get(encoded);
  if (!key) {
    let raw: Uint8Array;
    try {
      raw = base64Decode(encoded.trim());
    } catch {
      throw new ConfigError("WEBHOOK_SECRET_KEY must be base64 (e.g. `openssl rand -base64 32`).");
    }
    if (raw.length !== 32) {
      throw new ConfigError(
        `WEBHOOK_SECRET_KEY must be base64 of 32 bytes, not ${raw.length}: create one with \`openssl rand -base64 32\`.`,
      );
    }
    key = crypto.subtle.importKey("raw", raw, { name: "AES-GCM" }, false, ["encrypt", "decrypt"]);
    keys.set(encoded, key);
  }
  return key;
}

export async function encryptSecret(env: Env, webhookId: string, secret: string): Promise<string> {
  const iv = crypto.getRandomValues(new Uint8Array(IV_BYTES));
  const sealed = await crypto.subtle.encrypt(
    { name: "AES-GCM", iv, additionalData: encoder.encode(webhookId) },
    await encryptionKey(env),
    encoder.encode(secret),
  );
  const out = new Uint8Array(IV_BYTES + sealed.byteLength);
  out.set(iv);
  out.set(new Uint8Array(sealed), IV_BYTES);
  return VERSION_PREFIX + base64Encode(out);
}

export async function decryptSecret(env: Env, webhookId: string, stored: string): Promise<string> {
  if (!stored.startsWith(VERSION_PREFIX)) throw new Error(`webhook ${webhookId}: unknown secret encoding`);
  const bytes = base64Decode(stored.slice(VERSION_PREFIX.length));
  const plain = await crypto.subtle.decrypt(
    { name: "AES-GCM", iv: bytes.slice(0, IV_BYTES), additionalData: encoder.encode(webhookId) },
    await encryptionKey(env),
    bytes.slice(IV_BYTES),
  );
  return decoder.decode(plain);
}
