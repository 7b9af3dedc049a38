/** Random identifiers: prefix + 20 characters of base32 (100 bits), safe in URLs and headers. */
const ALPHABET = "abcdefghijklmnopqrstuvwxyz234567";

export function randomId(prefix: string, length = 20): string {
  const bytes = crypto.getRandomValues(new Uint8Array(length));
  let out = prefix;
  for (const byte of bytes) out += ALPHABET[byte & 31];
  return out;
}

/** The Standard Webhooks `webhook-id`: minted once per (event, webhook), kept on every retry. */
export const newMessageId = (): string => randomId("msg_", 24);
export const newDeliveryId = (): string => randomId("dlv_");
export const newWebhookId = (): string => randomId("wh_");
