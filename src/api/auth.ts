import type { MiddlewareHandler } from "hono";
import { getConfig } from "../config";
import { sha256 } from "../lib/digest";
import { ApiError } from "./problem";

/**
 * True when `presented` equals one of `accepted`. Both sides are hashed first so the
 * constant-time comparison always sees 32 bytes: neither the content nor the length of a
 * token leaks through timing. Every token is compared, so neither does its position.
 */
export async function tokenMatches(presented: string, accepted: readonly string[]): Promise<boolean> {
  const presentedHash = await sha256(presented);
  let matched = false;
  for (const token of accepted) {
    const equal = crypto.subtle.timingSafeEqual(presentedHash, await sha256(token));
    matched = matched || equal;
  }
  return matched;
}

// RFC 6750 §2.1: credentials = "Bearer" 1*SP b64token
const BEARER = /^Bearer +([A-Za-z0-9\-._~+/]+=*)$/i;

const challenge = (error?: string) =>
  error ? `Bearer realm="storywatch", error="${error}"` : `Bearer realm="storywatch"`;

/** Reads the bearer token, or throws the RFC 6750 §3.1 problem for a missing or bad header. */
export function readBearerToken(header: string | undefined): string {
  if (header === undefined || header.trim() === "") {
    throw new ApiError({
      status: 401,
      slug: "unauthorized",
      title: "Authentication required",
      detail: "Send the header `Authorization: Bearer <token>` with one of the tokens in API_TOKEN.",
      headers: { "www-authenticate": challenge() },
    });
  }
  const match = BEARER.exec(header.trim());
  if (!match?.[1]) {
    throw new ApiError({
      status: 400,
      slug: "malformed-authorization",
      title: "Malformed Authorization header",
      detail: 'The Authorization header must read "Bearer <token>" (RFC 6750), with nothing else on it.',
      headers: { "www-authenticate": challenge("invalid_request") },
    });
  }
  return match[1];
}

export function bearerAuth(): MiddlewareHandler<{ Bindings: Env }> {
  return async (c, next) => {
    const token = readBearerToken(c.req.header("authorization"));
    if (!(await tokenMatches(token, getConfig(c.env).apiTokens))) {
      throw new ApiError({
        status: 401,
        slug: "unauthorized",
        title: "Invalid token",
        detail: "The bearer token is not one of the tokens in API_TOKEN: check it for typos or rotation.",
        headers: { "www-authenticate": challenge("invalid_token") },
      });
    }
    await next();
  };
}
