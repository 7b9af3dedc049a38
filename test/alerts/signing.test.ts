import { env } from "cloudflare:test";
import { Webhook } from "standardwebhooks";
import { describe, expect, it } from "vitest";
import { decryptSecret, encryptSecret } from "../../src/alerts/secrets";
import { base64Decode, newSigningSecret, signatureFor, signedHeaders } from "../../src/alerts/signing";

// The test vector of the Standard Webhooks specification.
const SPEC = {
  secret: "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw",
  id: "msg_p5jXN8AQM9LWM0D4loKWxJek",
  timestamp: 1614265330,
  body: '{"test": 2432232314}',
  signature: "v1,g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1OE=",
};

describe("Standard Webhooks signatures (WebCrypto HMAC)", () => {
  it("reproduces the specification's test vector", async () => {
    expect(await signatureFor(SPEC.secret, SPEC.id, SPEC.timestamp, SPEC.body)).toBe(SPEC.signature);
  });

  it("agrees with the reference standardwebhooks library, which runs in workerd", () => {
    const library = new Webhook(SPEC.secret).sign(SPEC.id, new Date(SPEC.timestamp * 1000), SPEC.body);
    expect(library).toBe(SPEC.signature);
  });

  it("signs fresh headers that the library verifies, and a tampered body or wrong secret fails", async () => {
    const secret = newSigningSecret();
    const body = JSON.stringify({ type: "development.created", data: { n: "Zürich ✓" } });
    const headers = await signedHeaders(secret, "msg_abc", Math.floor(Date.now() / 1000), body);
    expect(new Webhook(secret).verify(body, { ...headers })).toEqual(JSON.parse(body));
    expect(() => new Webhook(secret).verify(`${body} `, { ...headers })).toThrow(/signature/i);
    expect(() => new Webhook(newSigningSecret()).verify(body, { ...headers })).toThrow(/signature/i);
  });

  it("mints secrets as whsec_ + base64 of 32 random bytes, never the same twice", () => {
    const a = newSigningSecret();
    const b = newSigningSecret();
    expect(a).toMatch(/^whsec_[A-Za-z0-9+/]+=*$/);
    expect(base64Decode(a.slice("whsec_".length))).toHaveLength(32);
    expect(a).not.toBe(b);
  });
});

describe("secrets at rest (AES-GCM with WEBHOOK_SECRET_KEY)", () => {
  it("round-trips, never stores the plain secret, and binds the ciphertext to its webhook", async () => {
    const secret = newSigningSecret();
    const stored = await encryptSecret(env, "wh_one", secret);
    expect(stored).toMatch(/^v1\./);
    expect(stored).not.toContain(secret.slice(6, 20));
    expect(await encryptSecret(env, "wh_one", secret)).not.toBe(stored); // fresh IV each time
    expect(await decryptSecret(env, "wh_one", stored)).toBe(secret);
    await expect(decryptSecret(env, "wh_other", stored)).rejects.toThrow();
  });

  it("names WEBHOOK_SECRET_KEY when the key is not 32 bytes", async () => {
    const badEnv = { ...env, WEBHOOK_SECRET_KEY: btoa("short") } as Env;
    await expect(encryptSecret(badEnv, "wh_x", "whsec_x")).rejects.toThrow(
      /WEBHOOK_SECRET_KEY must be base64 of 32 bytes/,
    );
  });
});
