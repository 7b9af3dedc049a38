import { describe, expect, it } from "vitest";
import { canonicalLink, normaliseItems } from "../../src/feeds/normalise";
import type { ParsedFeed, ParsedItem } from "../../src/feeds/parse";
import { parseFeed } from "../../src/feeds/parse";
import wordpress from "../fixtures/feeds/wordpress.xml?raw";

const NOW = new Date("2025-08-13T12:00:00.000Z");

function item(fields: Partial<ParsedItem>): ParsedItem {
  return {
    guid: null,
    url: null,
    title: "A title",
    summary: "A summary",
    content: "",
    author: null,
    publishedAt: Date.UTC(2025, 7, 12),
    updatedAt: null,
    ...fields,
  };
}

function feed(items: ParsedItem[], updatedAt: number | null = null): ParsedFeed {
  return { format: "rss", version: "2.0", title: "T", siteUrl: null, ttlMinutes: null, updatedAt, items };
}

describe("item identity", () => {
  it("uses the guid first, then the canonical link, then a content hash", async () => {
    const [byGuid, byLink, byHash] = await normaliseItems(
      feed([
        item({ guid: "wire-a-0007", url: "https://a.example/1" }),
        item({ url: "https://a.example/2?utm_source=rss" }),
        item({ title: "No link or guid" }),
      ]),
      NOW,
    );
    expect(byGuid?.key).toBe("guid:wire-a-0007");
    expect(byLink?.key).toBe("url:https://a.example/2");
    expect(byHash?.key).toMatch(/^hash:[0-9a-f]{64}$/);
  });

  it("keeps the same key when only tracking parameters change between polls (tracking-links quirk)", async () => {
    const first = await normaliseItems(
      feed([item({ url: "https://a.example/s?id=4&utm_source=x&utm_medium=rss#top" })]),
      NOW,
    );
    const second = await normaliseItems(
      feed([item({ url: "https://a.example/s?fbclid=zz&id=4&utm_campaign=y" })]),
      NOW,
    );
    expect(first[0]?.key).toBe("url:https://a.example/s?id=4");
    expect(second[0]?.key).toBe(first[0]?.key);
    expect(second[0]?.contentHash).toBe(first[0]?.contentHash);
  });

  it("strips utm_*, click ids and mailing-list ids but keeps parameters that name the article", () => {
    expect(canonicalLink("https://a.example/p?id=7&utm_term=a&gclid=1&mc_cid=2&page=2#frag")).toBe(
      "https://a.example/p?id=7&page=2",
    );
    expect(canonicalLink("not a url")).toBeNull();
  });

  it("gives the same canonical form whether or not it takes the no-parse shortcut", () => {
    for (const url of [
      "https://news.example/world/2025/08/13/summit-set",
      "https://news.example:8443/a-b_c~d/",
      "https://NEWS.example/World",
      "https://news.example/a/../b",
      "https://news.example/caf%C3%A9",
      "http://news.example",
      "http://news.example:80/a",
      "http://0x7f.1/a",
      "https://news.example./a",
    ]) {
      expect(canonicalLink(url), url).toBe(new URL(url).href);
    }
  });

  it("qualifies a guid that repeats inside one feed with the link, as Miniflux does", async () => {
    const items = await normaliseItems(
      feed([
        item({ guid: "https://site.example/", url: "https://site.example/a", title: "A" }),
        item({ guid: "https://site.example/", url: "https://site.example/b", title: "B" }),
        item({ guid: "https://site.example/", url: "https://site.example/a", title: "A again" }),
      ]),
      NOW,
    );
    expect(items.map((i) => i.key)).toEqual([
      "guid+url:https://site.example/ https://site.example/a",
      "guid+url:https://site.example/ https://site.example/b",
    ]);
    expect(items[0]?.title).toBe("A");
  });

  it("tells apart the WordPress items that share one guid by their links", async () => {
    const items = await normaliseItems(parseFeed(wordpress), NOW);
    expect(items.map((i) => i.key)).toEqual([
      "guid:https://paper.example/?p=4411",
      "guid+url:https://paper.example/ https://paper.example/2025/08/12/other/",
      "guid+url:https://paper.example/ https://paper.example/2025/08/11/another/",
    ]);
  });

  it("keeps the key and changes the content hash when an item is edited in place", async () => {
    const [before] = await normaliseItems(feed([item({ guid: "g1", title: "Summit planned" })]), NOW);
    const [after] = await normaliseItems(feed([item({ guid: "g1", title: "Summit planned for Friday" })]), NOW);
    expect(after?.key).toBe(before?.key);
    expect(after?.contentHash).not.toBe(before?.contentHash);
  });

  it("hashes very long guids instead of storing them whole", async () => {
    const [long] = await normaliseItems(feed([item({ guid: "x".repeat(5000) })]), NOW);
    expect(long?.key).toMatch(/^guid#sha256:[0-9a-f]{64}$/);
  });

  it("keys a no-guid feed by its links (no-guid quirk)", async () => {
    const doc = `<rss version="2.0"><channel>
      <item><title>One</title><link>https://n.example/1</link></item>
      <item><title>Two</title><link>https://n.example/2</link></item></channel></rss>`;
    const items = await normaliseItems(parseFeed(doc), NOW);
    expect(items.map((i) => i.key)).toEqual(["url:https://n.example/1", "url:https://n.example/2"]);
  });
});

describe("dates", () => {
  it("dates an undated entry by the document's own date, else by the time it was first seen", async () => {
    const built = Date.UTC(2025, 7, 12, 15);
    const [byChannel] = await normaliseItems(feed([item({ guid: "c", publishedAt: null })], built), NOW);
    expect(byChannel?.publishedAt).toBe(new Date(built).toISOString());
    // An entry's own date wins; a document dated in the future is not believed.
    const [own] = await normaliseItems(feed([item({ guid: "o" })], built), NOW);
    expect(own?.publishedAt).toBe(new Date(Date.UTC(2025, 7, 12)).toISOString());
    const [future] = await normaliseItems(
      feed([item({ guid: "f", publishedAt: null })], NOW.getTime() + 86_400_000 * 3),
      NOW,
    );
    expect(future?.publishedAt).toBe(NOW.toISOString());
  });

  it("uses the first-seen time when the feed gives no date", async () => {
    const [undated] = await normaliseItems(feed([item({ guid: "u", publishedAt: null })]), NOW);
    expect(undated?.publishedAt).toBe(NOW.toISOString());
  });

  it("clamps a date far in the future to now", async () => {
    const [future] = await normaliseItems(feed([item({ guid: "f", publishedAt: Date.UTC(2031, 0, 1) })]), NOW);
    expect(future?.publishedAt).toBe(NOW.toISOString());
  });

  it("keeps a past date and falls back to the updated date", async () => {
    const [dated, updatedOnly] = await normaliseItems(
      feed([item({ guid: "d" }), item({ guid: "e", publishedAt: null, updatedAt: Date.UTC(2025, 7, 1) })]),
      NOW,
    );
    expect(dated?.publishedAt).toBe("2025-08-12T00:00:00.000Z");
    expect(updatedOnly?.publishedAt).toBe("2025-08-01T00:00:00.000Z");
  });

  it("keeps the revision time of an item updated after it was published, never a future one", async () => {
    const [revised, same, future] = await normaliseItems(
      feed([
        item({ guid: "r", updatedAt: Date.UTC(2025, 7, 13, 9) }),
        item({ guid: "s", updatedAt: Date.UTC(2025, 7, 12) }),
        item({ guid: "t", updatedAt: Date.UTC(2031, 0, 1) }),
      ]),
      NOW,
    );
    expect(revised).toMatchObject({ publishedAt: "2025-08-12T00:00:00.000Z", revisedAt: "2025-08-13T09:00:00.000Z" });
    expect(same?.revisedAt).toBeNull();
    expect(future?.revisedAt).toBeNull();
  });
});

describe("bounded text", () => {
  it("clips very long text so one row stays under D1's statement limit", async () => {
    const [big] = await normaliseItems(feed([item({ guid: "b", content: "word ".repeat(50_000) })]), NOW);
    expect(big?.content.length).toBeLessThanOrEqual(20_000);
    expect(big?.content.endsWith("…")).toBe(true);
  });
});
