import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { DEFAULT_MAX_BYTES, fetchFeed, parseMaxAge, parseRetryAfter } from "../../src/feeds/fetch";
import { intervalAfterFailure, isPersistentError } from "../../src/feeds/schedule";
import { type FakeInternet, fakeInternet } from "../helpers/fake-internet";

const FEED = "https://news.example/feed.xml";
const RSS = '<rss version="2.0"><channel><item><title>x</title></item></channel></rss>';
const open = { allowPrivateNetwork: false };

let internet: FakeInternet;
beforeEach(() => {
  internet = fakeInternet();
});
afterEach(() => internet.restore());

async function gzip(bytes: Uint8Array): Promise<Uint8Array> {
  const stream = new Blob([bytes]).stream().pipeThrough(new CompressionStream("gzip"));
  return new Uint8Array(await new Response(stream).arrayBuffer());
}

/** A body that yields `chunks` chunks of `size` bytes, one per macrotask. */
function slowStream(chunks: number, size: number, delayMs: number): ReadableStream<Uint8Array> {
  let sent = 0;
  return new ReadableStream({
    async pull(controller) {
      if (sent >= chunks) return controller.close();
      await new Promise((resolve) => setTimeout(resolve, delayMs));
      controller.enqueue(new Uint8Array(size).fill(0x20));
      sent++;
    },
  });
}

describe("conditional GET", () => {
  it("sends If-None-Match and If-Modified-Since and reports 304 as not_modified", async () => {
    internet.on(FEED, () => new Response(null, { status: 304, headers: { "cache-control": "max-age=600" } }));
    const result = await fetchFeed(FEED, {
      ...open,
      validators: { etag: '"abc"', lastModified: "Tue, 12 Aug 2025 18:03:00 GMT" },
    });
    expect(result).toEqual({ kind: "not_modified", status: 304, finalUrl: FEED, maxAgeSeconds: 600 });
    expect(internet.requests[0]?.headers["if-none-match"]).toBe('"abc"');
    expect(internet.requests[0]?.headers["if-modified-since"]).toBe("Tue, 12 Aug 2025 18:03:00 GMT");
    expect(internet.requests[0]?.redirect).toBe("manual");
  });

  it("returns the body and the new validators on 200", async () => {
    internet.on(
      FEED,
      new Response(RSS, { headers: { etag: '"v2"', "last-modified": "Wed, 13 Aug 2025 10:00:00 GMT" } }),
    );
    const result = await fetchFeed(FEED, open);
    expect(result.kind).toBe("ok");
    if (result.kind !== "ok") return;
    expect(new TextDecoder().decode(result.body)).toBe(RSS);
    expect(result.validators).toEqual({ etag: '"v2"', lastModified: "Wed, 13 Aug 2025 10:00:00 GMT" });
    expect(internet.requests[0]?.headers["if-none-match"]).toBeUndefined();
  });
});

describe("timeout covers the body", () => {
  it("gives timeout when headers come fast but the body trickles past the deadline", async () => {
    internet.on(FEED, () => new Response(slowStream(50, 10, 20)));
    const started = Date.now();
    const result = await fetchFeed(FEED, { ...open, timeoutMs: 150 });
    expect(result).toMatchObject({ kind: "error", errorClass: "timeout" });
    expect(Date.now() - started).toBeLessThan(900);
  });

  it("gives timeout when the headers never come", async () => {
    internet.on(FEED, () => new Promise<Response>(() => {}));
    expect(await fetchFeed(FEED, { ...open, timeoutMs: 100 })).toMatchObject({ kind: "error", errorClass: "timeout" });
  });
});

describe("size cap after decompression", () => {
  it("refuses a 16 MiB+ body as too_large", async () => {
    internet.on(FEED, () => new Response(slowStream(17, 1024 * 1024, 0)));
    expect(await fetchFeed(FEED, open)).toMatchObject({ kind: "error", errorClass: "too_large" });
    expect(DEFAULT_MAX_BYTES).toBe(16 * 1024 * 1024);
  });

  it("refuses a gzip bomb (small on the wire, huge decompressed) as too_large", async () => {
    const bomb = await gzip(new Uint8Array(20 * 1024 * 1024));
    expect(bomb.byteLength).toBeLessThan(100 * 1024);
    internet.on(FEED, () => new Response(bomb, { headers: { "content-encoding": "gzip" } }));
    expect(await fetchFeed(FEED, open)).toMatchObject({ kind: "error", errorClass: "too_large" });
  });

  it("decompresses a normal gzip body", async () => {
    const body = await gzip(new TextEncoder().encode(RSS));
    internet.on(FEED, () => new Response(body, { headers: { "content-encoding": "gzip" } }));
    const result = await fetchFeed(FEED, open);
    expect(result.kind === "ok" && new TextDecoder().decode(result.body)).toBe(RSS);
  });

  it("refuses a declared Content-Length over the cap without reading, and counts bytes when it lies", async () => {
    internet.on(FEED, () => new Response("small", { headers: { "content-length": String(64 * 1024 * 1024) } }));
    expect(await fetchFeed(FEED, open)).toMatchObject({ kind: "error", errorClass: "too_large" });
    internet.on(FEED, () => new Response(slowStream(5, 1024, 0), { headers: { "content-length": "10" } }));
    expect(await fetchFeed(FEED, { ...open, maxBytes: 2048 })).toMatchObject({
      kind: "error",
      errorClass: "too_large",
    });
  });
});

describe("redirects followed by hand", () => {
  const redirect = (location: string, status = 301) => new Response(null, { status, headers: { location } });

  it("follows relative and absolute redirects and reports the final URL", async () => {
    internet
      .on(FEED, redirect("/moved.xml", 302))
      .on("https://news.example/moved.xml", redirect("https://cdn.example/feed.xml", 308))
      .on("https://cdn.example/feed.xml", RSS);
    const result = await fetchFeed(FEED, open);
    expect(result).toMatchObject({ kind: "ok", finalUrl: "https://cdn.example/feed.xml" });
    expect(internet.requests.map((r) => r.redirect)).toEqual(["manual", "manual", "manual"]);
  });

  it("stops at the hop limit", async () => {
    for (let i = 0; i < 10; i++) internet.on(`https://hop.example/${i}`, redirect(`https://hop.example/${i + 1}`));
    expect(await fetchFeed("https://hop.example/0", { ...open, maxRedirects: 3 })).toMatchObject({
      kind: "error",
      errorClass: "too_many_redirects",
    });
    expect(internet.requests).toHaveLength(4);
  });

  it("detects a loop", async () => {
    internet
      .on("https://loop.example/a", redirect("https://loop.example/b"))
      .on("https://loop.example/b", redirect("/a"));
    expect(await fetchFeed("https://loop.example/a", open)).toMatchObject({
      kind: "error",
      errorClass: "redirect_loop",
    });
  });

  it("checks the address on every hop: a redirect to metadata or loopback is refused and never fetched", async () => {
    for (const target of [
      "http://169.254.169.254/latest/meta-data/",
      "http://127.1/admin",
      "http://[::ffff:7f00:1]/",
    ]) {
      internet.on(FEED, redirect(target, 302));
      const result = await fetchFeed(FEED, open);
      expect(result, target).toMatchObject({ kind: "error", errorClass: "refused" });
    }
    expect(internet.requests.every((r) => r.url === FEED)).toBe(true);
  });

  it("refuses a private first URL before any request", async () => {
    expect(await fetchFeed("http://10.0.0.1/feed", open)).toMatchObject({ kind: "error", errorClass: "refused" });
    expect(internet.requests).toHaveLength(0);
  });
});

describe("429 and Retry-After", () => {
  it("reports Retry-After seconds and HTTP-dates", async () => {
    internet.on(FEED, () => new Response("slow down", { status: 429, headers: { "retry-after": "120" } }));
    expect(await fetchFeed(FEED, open)).toMatchObject({
      kind: "error",
      errorClass: "http_429",
      status: 429,
      retryAfterSeconds: 120,
    });
    expect(parseRetryAfter("Wed, 21 Oct 2015 07:28:00 GMT", Date.UTC(2015, 9, 21, 7, 0))).toBe(28 * 60);
    expect(parseRetryAfter("soon", 0)).toBeNull();
  });

  it("waits at least Retry-After before the next check", () => {
    expect(intervalAfterFailure("http_429", 1, 7200, () => 0)).toBe(7200);
    expect(intervalAfterFailure("http_503", 1, null, () => 0)).toBe(300);
  });

  it("reads Cache-Control max-age", () => {
    expect(parseMaxAge("public, max-age=900")).toBe(900);
    expect(parseMaxAge("no-cache")).toBe(0);
    expect(parseMaxAge(null)).toBeNull();
  });
});

describe("error classification", () => {
  it("names the HTTP status", async () => {
    for (const status of [404, 410, 500, 503]) {
      internet.on(FEED, () => new Response("no", { status }));
      expect(await fetchFeed(FEED, open)).toMatchObject({ kind: "error", errorClass: `http_${status}`, status });
    }
    internet.on(FEED, () => {
      throw new TypeError("connection reset");
    });
    expect(await fetchFeed(FEED, open)).toMatchObject({ kind: "error", errorClass: "network" });
  });

  it("does not hammer a 404 or 410 like a passing 503", () => {
    expect(isPersistentError("http_404")).toBe(true);
    expect(isPersistentError("http_503")).toBe(false);
    expect(isPersistentError("timeout")).toBe(false);
    const mid = () => 0.5;
    // First failure: a 503 is retried within minutes, a 404 after about an hour, a 410 daily.
    expect(intervalAfterFailure("http_503", 1, null, mid)).toBeLessThanOrEqual(300);
    expect(intervalAfterFailure("http_404", 1, null, mid)).toBeGreaterThanOrEqual(2700);
    expect(intervalAfterFailure("http_410", 1, null, mid)).toBe(24 * 3600);
    // Backoff grows with each failure and is capped at a day (never dropped).
    const growth = [1, 2, 3, 4, 5, 6].map((n) => intervalAfterFailure("timeout", n, null, mid));
    expect(growth).toEqual([...growth].sort((a, b) => a - b));
    expect(growth[5]).toBeGreaterThan(growth[0] ?? 0);
    expect(intervalAfterFailure("timeout", 40, null, mid)).toBe(24 * 3600);
  });

  it("spreads retries with jitter", () => {
    const samples = new Set([0, 0.25, 0.5, 0.75, 0.99].map((r) => intervalAfterFailure("http_500", 4, null, () => r)));
    expect(samples.size).toBe(5);
  });
});
