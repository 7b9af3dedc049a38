import { Duplex } from "node:stream";
import { createBrotliDecompress, createGunzip, createInflate, createInflateRaw } from "node:zlib";
import { VERSION } from "../version";
import { FetchFailed, UrlInvalid, UrlRefused } from "./errors";
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
  | {
      kind: "not_modified";
      status: 304;
      finalUrl: string;
      maxAgeSeconds: number | null;
      permanentRedirect?: string;
    }
  | {
      kind: "ok";
      status: number;
      finalUrl: string;
      /**
       * Where permanent redirects (301, 308) from the feed's URL led, when every hop up to
       * there was permanent (RFC 9110 §15.4.2, §15.4.9: use the new URI from now on); else null.
       */
      permanentRedirect?: string;
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

class ChunkCollector {
  readonly chunks: Uint8Array[] = [];
  total = 0;
  constructor(
    private readonly maxBytes: number,
    private readonly what: string,
  ) {}
  /** Keeps a chunk, or throws too_large once the bytes kept would pass the cap. */
  add(chunk: Uint8Array): void {
    this.total += chunk.byteLength;
    if (this.total > this.maxBytes) {
      throw new FetchFailed("too_large", `the ${this.what} is larger than ${this.maxBytes} bytes`);
    }
    this.chunks.push(chunk);
  }
  bytes(): Uint8Array {
    return concat(this.chunks);
  }
}

function concat(chunks: readonly Uint8Array[]): Uint8Array {
  if (chunks.length === 1 && chunks[0]) return chunks[0];
  const body = new Uint8Array(chunks.reduce((sum, chunk) => sum + chunk.byteLength, 0));
  let offset = 0;
  for (const chunk of chunks) {
    body.set(chunk, offset);
    offset += chunk.byteLength;
  }
  return body;
}

type Compression = "gzip" | "deflate" | "deflate-raw" | "brotli";

/** Bytes a feed may start with: XML (<, a BOM, whitespace) or JSON ({, [). */
function looksLikeText(head: Uint8Array): boolean {
  const first = head[0];
  if (first === undefined) return true;
  if (first === 0xef && head[1] === 0xbb && head[2] === 0xbf) return true; // UTF-8 BOM
  if ((first === 0xfe && head[1] === 0xff) || (first === 0xff && head[1] === 0xfe)) return true; // UTF-16 BOMs
  return (
    first === 0x3c ||
    first === 0x7b ||
    first === 0x5b ||
    first === 0x20 ||
    first === 0x09 ||
    first === 0x0a ||
    first === 0x0d
  );
}

/**
 * How the body is compressed, whatever the headers say: workerd decodes Content-Encoding
 * itself on real fetches, but servers also send compressed files with no Content-Encoding (a
 * .xml.gz served as is), or one workerd does not decode. The magic bytes decide for gzip
 * (1f 8b, RFC 1952 §2.3.1) and zlib (CM = 8, header checksum a multiple of 31, RFC 1950
 * §2.2). Brotli and raw deflate have no magic bytes (RFC 7932, RFC 1951): a body declared so
 * that does not start like a feed is decoded as declared.
 */
export function sniffCompression(head: Uint8Array, contentEncoding: string | null): Compression | null {
  const first = head[0] ?? -1;
  const second = head[1] ?? -1;
  if (first === 0x1f && second === 0x8b) return "gzip";
  if (first === 0x78 && ((first << 8) | second) % 31 === 0) return "deflate";
  if (looksLikeText(head)) return null;
  const declared = contentEncoding?.toLowerCase() ?? "";
  if (/\bbr\b/.test(declared)) return "brotli";
  if (declared.includes("deflate")) return "deflate-raw";
  return null;
}

/**
 * Decompressed bytes fed through the decoder a little at a time, so that no more than one
 * slice's output (at most ~1,000× a slice, the deflate limit) exists beyond what is kept:
 * the cap is counted on the decoded bytes as they flow, and a bomb stops at the cap.
 */
const DECODE_SLICE_BYTES = 4 * 1024;

/**
 * A streaming decoder from node:zlib (nodejs_compat). Not the web DecompressionStream: in
 * workerd it takes every write at once and, on close, inflates all the input it holds, so a
 * bomb is decoded whole before the reader can stop it; it also has no brotli. zlib's streams
 * hold back input until their output is read.
 */
function decoderFor(format: Compression): {
  writable: WritableStream<Uint8Array>;
  readable: ReadableStream<Uint8Array>;
} {
  switch (format) {
    case "gzip":
      return Duplex.toWeb(createGunzip());
    case "deflate":
      return Duplex.toWeb(createInflate());
    case "deflate-raw":
      return Duplex.toWeb(createInflateRaw());
    case "brotli":
      return Duplex.toWeb(createBrotliDecompress());
  }
}

async function decodeCapped(
  head: Uint8Array[],
  rest: ReadableStreamDefaultReader<Uint8Array>,
  format: Compression,
  maxBytes: number,
): Promise<Uint8Array> {
  const decoder = decoderFor(format);
  const writer = decoder.writable.getWriter();
  const output = decoder.readable.getReader();
  const decoded = new ChunkCollector(maxBytes, "decompressed body");
  let compressedBytes = 0;
  let stopped = false;
  // Writes wait for the reader below (backpressure), so feeding and reading take turns.
  const write = async (chunk: Uint8Array) => {
    compressedBytes += chunk.byteLength;
    if (compressedBytes > maxBytes) throw new FetchFailed("too_large", `the body is larger than ${maxBytes} bytes`);
    for (let offset = 0; offset < chunk.byteLength && !stopped; offset += DECODE_SLICE_BYTES) {
      await writer.write(chunk.subarray(offset, offset + DECODE_SLICE_BYTES));
    }
  };
  const feeding = (async () => {
    for (const chunk of head) await write(chunk);
    while (!stopped) {
      const { done, value } = await rest.read();
      if (done) break;
      await write(value);
    }
    if (!stopped) await writer.close();
  })();
  // A failure while feeding (too large, a network error) ends the reading below too.
  const fed = feeding.then(
    () => null,
    async (error: unknown) => {
      await writer.abort(error).catch(() => {});
      return error;
    },
  );
  let failure: unknown = null;
  try {
    for (;;) {
      const { done, value } = await output.read();
      if (done) break;
      decoded.add(value);
    }
  } catch (error) {
    failure = error;
  }
  if (failure !== null) {
    stopped = true;
    await output.cancel().catch(() => {});
    await rest.cancel().catch(() => {});
  }
  const feedFailure = await fed;
  // The feeder's own failure (too large, network) explains an aborted decoder best.
  const cause = feedFailure instanceof FetchFailed ? feedFailure : (failure ?? feedFailure);
  if (cause === null) return decoded.bytes();
  if (cause instanceof FetchFailed) throw cause;
  throw new FetchFailed("network", `the ${format} body does not decompress: ${(cause as Error).message}`);
}

/**
 * Reads a body under the cap. The first bytes decide whether it is compressed; if it is, it
 * is decompressed as a stream and the cap applies to the decoded bytes too.
 */
async function readBody(
  stream: ReadableStream<Uint8Array>,
  contentEncoding: string | null,
  maxBytes: number,
  deadline: Deadline,
): Promise<Uint8Array> {
  const reader = stream.getReader();
  deadline.reader = reader;
  try {
    const head: Uint8Array[] = [];
    let headBytes = 0;
    let ended = false;
    while (headBytes < 4) {
      const { done, value } = await reader.read();
      if (done) {
        ended = true;
        break;
      }
      head.push(value);
      headBytes += value.byteLength;
    }
    const format = sniffCompression(concat(head).subarray(0, 4), contentEncoding);
    if (format && headBytes > 0) return await decodeCapped(head, reader, format, maxBytes);
    const body = new ChunkCollector(maxBytes, "body");
    try {
      for (const chunk of head) body.add(chunk);
      while (!ended) {
        const { done, value } = await reader.read();
        if (done) break;
        body.add(value);
      }
    } catch (error) {
      await reader.cancel().catch(() => {});
      throw error;
    }
    return body.bytes();
  } finally {
    deadline.reader = null;
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
  let permanentRedirect: string | null = null;
  let permanentSoFar = true;
  for (let hop = 0; ; hop++) {
    const headers = new Headers({ accept: ACCEPT, "user-agent": `storywatch/${VERSION} (feed reader)` });
    if (options.validators?.etag) headers.set("if-none-match", options.validators.etag);
    if (options.validators?.lastModified) headers.set("if-modified-since", options.validators.lastModified);
    let response: Response;
    try {
      response = await fetch(current.href, { headers, redirect: "manual", signal: deadline.signal });
    } catch (error) {
      if (deadline.signal.aborted) throw new FetchFailed("timeout", "the server did not answer in time");
      throw new FetchFailed("network", `the request failed: ${(error as Error).message}`);
    }

    if (response.status >= 300 && response.status < 400 && response.status !== 304) {
      await response.body?.cancel().catch(() => {});
      const location = response.headers.get("location");
      if (!location)
        throw new FetchFailed("bad_redirect", `HTTP ${response.status} without a Location header`, response.status);
      if (hop >= maxRedirects) {
        throw new FetchFailed("too_many_redirects", `more than ${maxRedirects} redirects`, response.status);
      }
      let next: URL;
      try {
        next = checkPublicUrl(new URL(location, current).href, {
          allowPrivateNetwork: options.allowPrivateNetwork,
          field: "redirect",
        });
      } catch (error) {
        if (error instanceof UrlRefused) throw new FetchFailed("refused", error.message, response.status);
        throw new FetchFailed("bad_redirect", `the Location ${JSON.stringify(location)} is not a URL`, response.status);
      }
      if (seen.has(next.href))
        throw new FetchFailed("redirect_loop", `the redirects loop back to ${next.href}`, response.status);
      seen.add(next.href);
      current = next;
      if (permanentSoFar && (response.status === 301 || response.status === 308)) {
        const target = new URL(next.href);
        target.hash = "";
        permanentRedirect = target.href;
      } else {
        permanentSoFar = false;
      }
      continue;
    }

    const maxAgeSeconds = parseMaxAge(response.headers.get("cache-control"));
    if (response.status === 304) {
      await response.body?.cancel().catch(() => {});
      return {
        kind: "not_modified",
        status: 304,
        finalUrl: current.href,
        maxAgeSeconds,
        ...(permanentRedirect ? { permanentRedirect } : {}),
      };
    }
    if (response.status < 200 || response.status >= 300) {
      await response.body?.cancel().catch(() => {});
      const retryAfter =
        response.status === 429 || response.status === 503
          ? parseRetryAfter(response.headers.get("retry-after"), Date.now())
          : null;
      throw new FetchFailed(
        `http_${response.status}`,
        `the server answered HTTP ${response.status}${response.statusText ? ` ${response.statusText}` : ""}`,
        response.status,
        retryAfter,
      );
    }

    const declared = Number(response.headers.get("content-length"));
    if (Number.isFinite(declared) && declared > maxBytes) {
      await response.body?.cancel().catch(() => {});
      throw new FetchFailed(
        "too_large",
        `Content-Length ${declared} is over the ${maxBytes}-byte cap`,
        response.status,
      );
    }
    const body = response.body
      ? await readBody(response.body, response.headers.get("content-encoding"), maxBytes, deadline)
      : new Uint8Array();
    return {
      kind: "ok",
      status: response.status,
      finalUrl: current.href,
      ...(permanentRedirect ? { permanentRedirect } : {}),
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
      reject(new FetchFailed("timeout", `no complete answer within ${timeoutMs} ms`));
    }, timeoutMs);
  });
  try {
    const url = checkPublicUrl(rawUrl, { allowPrivateNetwork: options.allowPrivateNetwork });
    return await Promise.race([fetchWithin(url, options, deadline, maxBytes), expired]);
  } catch (error) {
    if (error instanceof FetchFailed) {
      return {
        kind: "error",
        errorClass: error.errorClass,
        status: error.status,
        message: error.message,
        retryAfterSeconds: error.retryAfterSeconds,
      };
    }
    if (error instanceof UrlRefused || error instanceof UrlInvalid) {
      return { kind: "error", errorClass: "refused", status: null, message: error.message, retryAfterSeconds: null };
    }
    return { kind: "error", errorClass: "network", status: null, message: String(error), retryAfterSeconds: null };
  } finally {
    if (timer !== null) clearTimeout(timer);
  }
}
