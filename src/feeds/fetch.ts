import { ApiError } from "../api/problem";
import { VERSION } from "../version";
import { checkPublicUrl } from "./url-guard";

/**
 * One feed fetch, defensively: conditional GET (RFC 9110 §13), redirects followed by hand so
 * every hop passes the address check, one deadline for headers and body together, and a
 * size cap counted on the decompressed bytes (gzip bombs and lying Content-Length included).
 */

export interface Validators {
  etag: string | null;
  lastModified: string | null;
}

export interface FetchFeedOptions {
  allowPrivateNetwork: boolean;
  validators?: Validators | null;
  timeoutMs?: number;
  maxBytes?: number;
  maxRedirects?: number;
}

export type FetchErrorClass =
  | "timeout"
  | "too_large"
  | "network"
  | "refused"
  | "too_many_redirects"
  | "redirect_loop"
  | "bad_redirect"
  | `http_${number}`;

export type FetchResult =
  | { kind: "not_modified"; status: 304; finalUrl: string; maxAgeSeconds: number | null }
  | {
      kind: "ok";
      status: number;
      finalUrl: string;
      body: Uint8Array;
      contentType: string | null;
      validators: Validators;
      maxAgeSeconds: number | null;
    }
  | {
      kind: "error";
      errorClass: FetchErrorClass;
      status: number | null;
      message: string;
      retryAfterSeconds: number | null;
    };

export const DEFAULT_TIMEOUT_MS = 20_000;
/** Miniflux caps at 15 MiB; 16 MiB after decompression is our ceiling. */
export const DEFAULT_MAX_BYTES = 16 * 1024 * 1024;
export const DEFAULT_MAX_REDIRECTS = 5;

const ACCEPT =
  "application/rss+xml, application/atom+xml, application/feed+json, application/json;q=0.9, application/xml;q=0.9, text/xml;q=0.9, */*;q=0.5";

class FetchFailure extends Error {
  constructor(
    readonly errorClass: FetchErrorClass,
    message: string,
    readonly status: number | null = null,
    readonly retryAfterSeconds: number | null = null,
  ) {
    super(message);
  }
}

/** Retry-After (RFC 9110 §10.2.3): delay-seconds or an HTTP-date. */
export function parseRetryAfter(value: string | null, now: number): number | null {
  if (!value) return null;
  const trimmed = value.trim();
  if (/^\d+$/.test(trimmed)) return Number(trimmed);
  const date = Date.parse(trimmed);
  return Number.isFinite(date) ? Math.max(0, Math.round((date - now) / 1000)) : null;
}

export function parseMaxAge(cacheControl: string | null): number | null {
  if (!cacheControl) return null;
  if (/(^|,)\s*(no-store|no-cache)\b/i.test(cacheControl)) return 0;
  const match = /(?:^|,)\s*(?:s-maxage|max-age)\s*=\s*"?(\d+)/i.exec(cacheControl);
  return match ? Number(match[1]) : null;
}

interface Deadline {
  signal: AbortSignal;
  reader: ReadableStreamDefaultReader<Uint8Array> | null;
}

async function readCapped(
  stream: ReadableStream<Uint8Array>,
  maxBytes: number,
  deadline: Deadline,
): Promise<Uint8Array> {
  const reader = stream.getReader();
  deadline.reader = reader;
  const chunks: Uint8Array[] = [];
  let total = 0;
  try {
    for (;;) {
      const { done, value } = await reader.read();
      if (done) break;
      total += value.byteLength;
      if (total > maxBytes) {
        await reader.cancel().catch(() => {});
        throw new FetchFailure("too_large", `the body is larger than ${maxBytes} bytes`);
      }
      chunks.push(value);
    }
  } finally {
    deadline.reader = null;
  }
  if (chunks.length === 1 && chunks[0]) return chunks[0];
  const body = new Uint8Array(total);
  let offset = 0;
  for (const chunk of chunks) {
    body.set(chunk, offset);
    offset += chunk.byteLength;
  }
  return body;
}

/**
 * workerd decodes Content-Encoding itself on real fetches; a body that still starts with the
 * gzip or zlib magic bytes is decompressed here, under the same cap.
 */
async function decompressIfNeeded(
  body: Uint8Array,
  encoding: string | null,
  maxBytes: number,
  deadline: Deadline,
): Promise<Uint8Array> {
  const enc = encoding?.toLowerCase() ?? "";
  let format: "gzip" | "deflate" | null = null;
  if (body[0] === 0x1f && body[1] === 0x8b) format = "gzip";
  else if (enc.includes("deflate") && body[0] === 0x78) format = "deflate";
  if (!format) return body;
  try {
    const stream = new Blob([body]).stream().pipeThrough(new DecompressionStream(format));
    return await readCapped(stream, maxBytes, deadline);
  } catch (error) {
    if (error instanceof FetchFailure) throw error;
    throw new FetchFailure("network", `the ${format} body does not decompress: ${(error as Error).message}`);
  }
}

async function fetchWithin(
  url: URL,
  options: FetchFeedOptions,
  deadline: Deadline,
  maxBytes: number,
): Promise<FetchResult> {
  const maxRedirects = options.maxRedirects ?? DEFAULT_MAX_REDIRECTS;
  const seen = new Set<string>([url.href]);
  let current = url;
  for (let hop = 0; ; hop++) {
    const headers = new Headers({ accept: ACCEPT, "user-agent": `storywatch/${VERSION} (feed reader)` });
    if (options.validators?.etag) headers.set("if-none-match", options.validators.etag);
    if (options.validators?.lastModified) headers.set("if-modified-since", options.validators.lastModified);
    let response: Response;
    try {
      response = await fetch(current.href, { headers, redirect: "manual", signal: deadline.signal });
    } catch (error) {
      if (deadline.signal.aborted) throw new FetchFailure("timeout", "the server did not answer in time");
      throw new FetchFailure("network", `the request failed: ${(error as Error).message}`);
    }

    if (response.status >= 300 && response.status < 400 && response.status !== 304) {
      await response.body?.cancel().catch(() => {});
      const location = response.headers.get("location");
      if (!location)
        throw new FetchFailure("bad_redirect", `HTTP ${response.status} without a Location header`, response.status);
      if (hop >= maxRedirects) {
        throw new FetchFailure("too_many_redirects", `more than ${maxRedirects} redirects`, response.status);
      }
      let next: URL;
      try {
        next = checkPublicUrl(new URL(location, current).href, {
          allowPrivateNetwork: options.allowPrivateNetwork,
          field: "redirect",
        });
      } catch (error) {
        if (error instanceof ApiError) throw new FetchFailure("refused", error.detail, response.status);
        throw new FetchFailure(
          "bad_redirect",
          `the Location ${JSON.stringify(location)} is not a URL`,
          response.status,
        );
      }
      if (seen.has(next.href))
        throw new FetchFailure("redirect_loop", `the redirects loop back to ${next.href}`, response.status);
      seen.add(next.href);
      current = next;
      continue;
    }

    const maxAgeSeconds = parseMaxAge(response.headers.get("cache-control"));
    if (response.status === 304) {
      await response.body?.cancel().catch(() => {});
      return { kind: "not_modified", status: 304, finalUrl: current.href, maxAgeSeconds };
    }
    if (response.status < 200 || response.status >= 300) {
      await response.body?.cancel().catch(() => {});
      const retryAfter =
        response.status === 429 || response.status === 503
          ? parseRetryAfter(response.headers.get("retry-after"), Date.now())
          : null;
      throw new FetchFailure(
        `http_${response.status}`,
        `the server answered HTTP ${response.status}${response.statusText ? ` ${response.statusText}` : ""}`,
        response.status,
        retryAfter,
      );
    }

    const declared = Number(response.headers.get("content-length"));
    if (Number.isFinite(declared) && declared > maxBytes) {
      await response.body?.cancel().catch(() => {});
      throw new FetchFailure(
        "too_large",
        `Content-Length ${declared} is over the ${maxBytes}-byte cap`,
        response.status,
      );
    }
    const raw = response.body ? await readCapped(response.body, maxBytes, deadline) : new Uint8Array();
    const body = await decompressIfNeeded(raw, response.headers.get("content-encoding"), maxBytes, deadline);
    return {
      kind: "ok",
      status: response.status,
      finalUrl: current.href,
      body,
      contentType: response.headers.get("content-type"),
      validators: { etag: response.headers.get("etag"), lastModified: response.headers.get("last-modified") },
      maxAgeSeconds,
    };
  }
}

export async function fetchFeed(rawUrl: string, options: FetchFeedOptions): Promise<FetchResult> {
  const timeoutMs = options.timeoutMs ?? DEFAULT_TIMEOUT_MS;
  const maxBytes = options.maxBytes ?? DEFAULT_MAX_BYTES;
  const controller = new AbortController();
  const deadline: Deadline = { signal: controller.signal, reader: null };
  let timer: ReturnType<typeof setTimeout> | null = null;
  const expired = new Promise<never>((_, reject) => {
    timer = setTimeout(() => {
      controller.abort();
      deadline.reader?.cancel().catch(() => {});
      reject(new FetchFailure("timeout", `no complete answer within ${timeoutMs} ms`));
    }, timeoutMs);
  });
  try {
    const url = checkPublicUrl(rawUrl, { allowPrivateNetwork: options.allowPrivateNetwork });
    return await Promise.race([fetchWithin(url, options, deadline, maxBytes), expired]);
  } catch (error) {
    if (error instanceof FetchFailure) {
      return {
        kind: "error",
        errorClass: error.errorClass,
        status: error.status,
        message: error.message,
        retryAfterSeconds: error.retryAfterSeconds,
      };
    }
    if (error instanceof ApiError) {
      return { kind: "error", errorClass: "refused", status: null, message: error.detail, retryAfterSeconds: null };
    }
    return { kind: "error", errorClass: "network", status: null, message: String(error), retryAfterSeconds: null };
  } finally {
    if (timer !== null) clearTimeout(timer);
  }
}
