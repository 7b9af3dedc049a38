import { brotliCompressSync, constants, deflateRawSync, deflateSync, gzipSync } from "node:zlib";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { fetchFeed, sniffCompression } from "../../src/feeds/fetch";
import { type FakeInternet, fakeInternet } from "../helpers/fake-internet";
import { countingStream } from "../helpers/streams";

const FEED = "https://news.example/feed.xml.gz";
const RSS = '<?xml version="1.0"?><rss version="2.0"><channel><item><title>Summit set</title></item></channel></rss>';
const open = { allowPrivateNetwork: false };

let internet: FakeInternet;
beforeEach(() => {
  internet = fakeInternet();
});
afterEach(() => internet.restore());

/**
 * A gzip file of `megabytes` MB that decompresses to about 1,000 times that: one deflate chunk
 * of 1 MiB of zeros, ended by a full flush (byte-aligned, no back-reference across it), repeated.
 * Its trailer is never reached: a reader that honours the cap stops long before.
 */
function gzipBomb(megabytes: number): { bytes: Uint8Array; decodedBytes: number } {
  const chunk = new Uint8Array(deflateRawSync(new Uint8Array(1 << 20), { finishFlush: constants.Z_FULL_FLUSH }));
  const count = Math.floor((megabytes * 1024 * 1024) / chunk.byteLength);
  const bytes = new Uint8Array(10 + count * chunk.byteLength + 2);
  bytes.set([0x1f, 0x8b, 8, 0, 0, 0, 0, 0, 0, 0xff]);
  for (let i = 0; i < count; i++) bytes.set(chunk, 10 + i * chunk.byteLength);
  bytes.set([0x03, 0x00], 10 + count * chunk.byteLength); // a final empty block
  return { bytes, decodedBytes: count * (1 << 20) };
}

describe("streamed decompression", () => {
  it("stops a 4 MB → 4 GB gzip sent without Content-Encoding at the cap, after reading a few KB of it", async () => {
    const bomb = gzipBomb(4);
    expect(bomb.bytes.byteLength).toBeGreaterThan(3.5 * 1024 * 1024);
    expect(bomb.decodedBytes).toBeGreaterThan(3.5 * 1024 ** 3);
    const served = countingStream(bomb.bytes);
    internet.on(FEED, () => new Response(served.stream, { headers: { "content-type": "application/xml" } }));
    const result = await fetchFeed(FEED, open);
    expect(result).toMatchObject({ kind: "error", errorClass: "too_large" });
    expect(result.kind === "error" && result.message).toMatch(/decompressed body is larger than 16777216 bytes/);
    // The cap was reached on the decoded bytes as they flowed: only the first part was pulled.
    expect(served.pulled()).toBeLessThan(512 * 1024);
  });

  it("decodes gzip, zlib and brotli bodies by their bytes or their declared encoding", async () => {
    const text = new TextEncoder().encode(RSS);
    const cases: Array<[string, Uint8Array, Record<string, string>]> = [
      ["gzip, no header", new Uint8Array(gzipSync(text)), {}],
      ["zlib, no header", new Uint8Array(deflateSync(text)), {}],
      ["raw deflate, declared", new Uint8Array(deflateRawSync(text)), { "content-encoding": "deflate" }],
      ["brotli, declared", new Uint8Array(brotliCompressSync(text)), { "content-encoding": "br" }],
      ["plain", text, {}],
    ];
    for (const [label, body, headers] of cases) {
      internet.on(FEED, () => new Response(body, { headers }));
      const result = await fetchFeed(FEED, open);
      expect(result.kind === "ok" && new TextDecoder().decode(result.body), label).toBe(RSS);
    }
  });

  it("counts the cap on decoded bytes for every format", async () => {
    const big = new Uint8Array(64 * 1024).fill(0x20);
    for (const [label, body, headers] of [
      ["gzip", new Uint8Array(gzipSync(big)), {}],
      ["brotli", new Uint8Array(brotliCompressSync(big)), { "content-encoding": "br" }],
    ] as const) {
      internet.on(FEED, () => new Response(body, { headers }));
      expect(await fetchFeed(FEED, { ...open, maxBytes: 16 * 1024 }), label).toMatchObject({
        kind: "error",
        errorClass: "too_large",
      });
    }
  });

  it("sniffs by magic bytes and leaves text alone whatever the header says", () => {
    const bytes = (...values: number[]) => new Uint8Array(values);
    expect(sniffCompression(bytes(0x1f, 0x8b, 8, 0), null)).toBe("gzip");
    expect(sniffCompression(bytes(0x78, 0x9c, 0, 0), null)).toBe("deflate");
    expect(sniffCompression(bytes(0x78, 0x01, 0, 0), "identity")).toBe("deflate");
    expect(sniffCompression(new TextEncoder().encode("<rss"), "br")).toBeNull();
    expect(sniffCompression(new TextEncoder().encode('{"ve'), "gzip")).toBeNull();
    expect(sniffCompression(bytes(0xef, 0xbb, 0xbf, 0x3c), "deflate")).toBeNull();
    expect(sniffCompression(bytes(0x8b, 0x12, 0x00, 0x00), "br")).toBe("brotli");
    expect(sniffCompression(bytes(0x8b, 0x12, 0x00, 0x00), null)).toBeNull();
  });

  it("reports a corrupt compressed body as not decompressing", async () => {
    const broken = new Uint8Array(gzipSync(new TextEncoder().encode(RSS))).slice(0, 30);
    broken.fill(0xff, 12);
    internet.on(FEED, () => new Response(broken));
    const result = await fetchFeed(FEED, open);
    expect(result).toMatchObject({ kind: "error", errorClass: "network" });
    expect(result.kind === "error" && result.message).toMatch(/gzip body does not decompress/);
  });
});
