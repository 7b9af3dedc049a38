/**
 * Console sign-in: a signed session cookie and CSRF tokens.
 *
 * The cookie holds a random session id and an HMAC-SHA256 of it (RFC 2104) under a key derived
 * with HKDF (RFC 5869) from WEBHOOK_SECRET_KEY, so a forged or altered cookie is refused
 * without a database read; the D1 row is what makes sign-out and expiry final. The cookie is
 * HttpOnly, SameSite=Strict and Secure except on localhost (RFC 6265bis). Every console form
 * carries a CSRF token, an HMAC of the session id under a different label (OWASP's
 * "synchronizer token", stateless variant), and a form post whose Origin is not ours is refused.
 */
import type { Context } from "hono";
import { deleteCookie, getCookie, setCookie } from "hono/cookie";
import { getConfig } from "../config";
import { randomId } from "../lib/ids";
import { deleteSession, insertSession, sessionIsLive } from "../store/sessions";

export const SESSION_COOKIE = "storywatch_session";
/** A console session lasts 12 hours, then the browser signs in again. */
export const SESSION_TTL_S = 12 * 60 * 60;

export interface Session {
  id: string;
  csrf: string;
}

const encoder = new TextEncoder();
const keys = new WeakMap<object, Promise<CryptoKey>>();

function base64url(bytes: ArrayBuffer | Uint8Array): string {
  let binary = "";
  for (const byte of new Uint8Array(bytes)) binary += String.fromCharCode(byte);
  return btoa(binary).replace(/\+/g, "-").replace(/\//g, "_").replace(/=+$/, "");
}

function fromBase64url(text: string): Uint8Array | null {
  if (!/^[A-Za-z0-9_-]+$/.test(text)) return null;
  const binary = atob(text.replace(/-/g, "+").replace(/_/g, "/"));
  return Uint8Array.from(binary, (c) => c.charCodeAt(0));
}

/** The signing key, derived once per isolate: its own key, never the webhook-secret key itself. */
function signingKey(env: Env): Promise<CryptoKey> {
  let key = keys.get(env);
  if (!key) {
    key = (async () => {
      const material = await crypto.subtle.importKey(
        "raw",
        encoder.encode(getConfig(env).webhookSecretKey),
        "HKDF",
        false,
        ["deriveKey"],
      );
      return crypto.subtle.deriveKey(
        {
          name: "HKDF",
          hash: "SHA-256",
          salt: new Uint8Array(0),
          info: encoder.encode("storywatch console session v1"),
        },
        material,
        { name: "HMAC", hash: "SHA-256", length: 256 },
        false,
        ["sign", "verify"],
      );
    })();
    keys.set(env, key);
  }
  return key;
}

async function mac(env: Env, label: string, id: string): Promise<string> {
  return base64url(await crypto.subtle.sign("HMAC", await signingKey(env), encoder.encode(`${label}:${id}`)));
}

/** Constant-time check of a MAC (crypto.subtle.verify compares in constant time). */
async function macMatches(env: Env, label: string, id: string, presented: string): Promise<boolean> {
  const bytes = fromBase64url(presented) ?? new Uint8Array(0);
  if (bytes.length !== 32) return false;
  return crypto.subtle.verify("HMAC", await signingKey(env), bytes, encoder.encode(`${label}:${id}`));
}

function isLocalhost(url: string): boolean {
  const host = new URL(url).hostname;
  return host === "localhost" || host === "127.0.0.1" || host === "[::1]";
}

/** Starts a session: a D1 row and the signed cookie. */
export async function startSession(c: Context<{ Bindings: Env }>, now = new Date()): Promise<void> {
  const id = randomId("ses_", 40); // 200 random bits
  await insertSession(c.env.DB, {
    id,
    createdAt: now.toISOString(),
    expiresAt: new Date(now.getTime() + SESSION_TTL_S * 1000).toISOString(),
  });
  setCookie(c, SESSION_COOKIE, `${id}.${await mac(c.env, "session", id)}`, {
    httpOnly: true,
    secure: !isLocalhost(c.req.url),
    sameSite: "Strict",
    path: "/",
    maxAge: SESSION_TTL_S,
  });
}

/** The signed-in session of this request, or null (no cookie, a forged or altered one, signed out, expired). */
export async function readSession(c: Context<{ Bindings: Env }>, now = new Date()): Promise<Session | null> {
  const cookie = getCookie(c, SESSION_COOKIE);
  if (!cookie) return null;
  const [id, signature, extra] = cookie.split(".");
  if (!id || !signature || extra !== undefined) return null;
  if (!(await macMatches(c.env, "session", id, signature))) return null;
  if (!(await sessionIsLive(c.env.DB, id, now.toISOString()))) return null;
  return { id, csrf: await mac(c.env, "csrf", id) };
}

export async function endSession(c: Context<{ Bindings: Env }>, session: Session): Promise<void> {
  await deleteSession(c.env.DB, session.id);
  deleteCookie(c, SESSION_COOKIE, { path: "/", secure: !isLocalhost(c.req.url), httpOnly: true, sameSite: "Strict" });
}

/** The CSRF token of a form post belongs to this session. */
export function csrfMatches(c: Context<{ Bindings: Env }>, session: Session, presented: unknown): Promise<boolean> {
  return typeof presented === "string" ? macMatches(c.env, "csrf", session.id, presented) : Promise.resolve(false);
}

/**
 * A form post from another site is refused even before the token is read: browsers send
 * Origin on every cross-origin POST (Fetch standard); a missing Origin (older clients) falls
 * back on the token alone.
 */
export function sameOrigin(c: Context): boolean {
  const origin = c.req.header("origin");
  if (origin === undefined || origin === "null") return origin === undefined;
  return origin === new URL(c.req.url).origin;
}
