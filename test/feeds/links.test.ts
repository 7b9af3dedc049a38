import { env } from "cloudflare:test";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { normaliseItems } from "../../src/feeds/normalise";
import { parseFeed } from "../../src/feeds/parse";
import { pollFeed } from "../../src/feeds/poller";
import atomPrefixed from "../fixtures/feeds/atom-prefixed.xml?raw";
import atom03 from "../fixtures/feeds/atom03.xml?raw";
import atom10 from "../fixtures/feeds/atom10.xml?raw";
import jsonFeed10 from "../fixtures/feeds/jsonfeed10.json?raw";
import jsonFeed11 from "../fixtures/feeds/jsonfeed11.json?raw";
import rss1 from "../fixtures/feeds/rss1-rdf.xml?raw";
import rss2Html from "../fixtures/feeds/rss2-cdata-html.xml?raw";
import rss2Quirks from "../fixtures/feeds/rss2-quirks.xml?raw";
import rss091 from "../fixtures/feeds/rss091.xml?raw";
import wordpress from "../fixtures/feeds/wordpress.xml?raw";
import { type FakeInternet, fakeInternet } from "../helpers/fake-internet";
import { addFeed, resetFeedTables, startRunWithoutQueue } from "./helpers";

const FORMATS: Array<[string, string, "xml" | "json"]> = [
  ["RSS 0.91 (no guid)", rss091, "xml"],
  ["RSS 1.0 (rdf:about, no guid)", rss1, "xml"],
  ["RSS 2.0", rss2Quirks, "xml"],
  ["RSS 2.0 with HTML", rss2Html, "xml"],
  ["RSS 2.0 (WordPress)", wordpress, "xml"],
  ["Atom 0.3", atom03, "xml"],
  ["Atom 1.0", atom10, "xml"],
  ["Atom 1.0 (prefixed)", atomPrefixed, "xml"],
  ["JSON Feed 1.0", jsonFeed10, "json"],
  ["JSON Feed 1.1", jsonFeed11, "json"],
];

const TRACKING = /[?&](utm_|fbclid|gclid|mc_cid|mc_eid|ocid)/;

/**
 * The document with tracking parameters (different for each `campaign`) and one real
 * parameter added to every absolute URL in it, as a mailing or social feed serves them.
 * Namespace URIs, the DOCTYPE and JSON Feed's version URL are left alone.
 */
function tracked(doc: string, kind: "xml" | "json", campaign: number): string {
  const amp = kind === "xml" ? "&amp;" : "&";
  return doc.replace(/(?<!xmlns(?::\w+)?="|"version": "|DOCTYPE[^>]*)https?:\/\/[^\s"'<>]+/g, (url) => {
    const hash = url.indexOf("#");
    const [base, fragment] = hash === -1 ? [url, ""] : [url.slice(0, hash), url.slice(hash)];
    const params = [
      "keep=1",
      "utm_source=mail",
      `utm_campaign=c${campaign}`,
      `fbclid=F${campaign}`,
      `gclid=G${campaign}`,
    ]
      .concat([`mc_cid=M${campaign}`, `mc_eid=E${campaign}`, `ocid=O${campaign}`])
      .join(amp);
    return `${base}${base.includes("?") ? amp : "?"}${params}${fragment}`;
  });
}

async function itemsOf(doc: string) {
  const parsed = parseFeed(new TextEncoder().encode(doc), { url: "https://feeds.example/feed", contentType: null });
  return normaliseItems(parsed, new Date("2025-08-13T12:00:00Z"));
}

describe("canonical links on every format", () => {
  it.each(FORMATS)(
    "%s: identity ignores tracking parameters; stored links lose them and keep the rest",
    async (_, doc, kind) => {
      const first = await itemsOf(tracked(doc, kind, 1));
      const second = await itemsOf(tracked(doc, kind, 2));
      expect(first.length).toBeGreaterThan(0);
      expect(second.map((item) => item.key)).toEqual(first.map((item) => item.key));
      expect(second.map((item) => item.contentHash)).toEqual(first.map((item) => item.contentHash));
      for (const item of [...first, ...second]) {
        expect(item.key).not.toMatch(TRACKING);
        if (item.url === null) continue;
        expect(item.url).not.toMatch(TRACKING);
        // Absolute links in the document carried keep=1: it is a real parameter and stays.
        if (doc.includes(item.url.replace(/[?&]keep=1/, ""))) expect(item.url).toContain("keep=1");
      }
      // And the same items as the untracked document, key for key, apart from the real parameter.
      const plain = await itemsOf(doc);
      expect(first.map((item) => item.key.replace(/[?&]keep=1/g, ""))).toEqual(plain.map((item) => item.key));
    },
  );
});

describe("a re-poll with new tracking values", () => {
  let internet: FakeInternet;
  beforeEach(async () => {
    await resetFeedTables();
    internet = fakeInternet();
  });
  afterEach(() => internet.restore());

  it("stores 0 new items on every format", async () => {
    const T0 = new Date("2025-08-13T12:00:00.000Z");
    for (const [index, [label, doc, kind]] of FORMATS.entries()) {
      const url = `https://feeds.example/${index}`;
      const feedId = await addFeed(url, T0);
      for (const [round, campaign] of [1, 2, 3].entries()) {
        internet.on(url, () => new Response(tracked(doc, kind, campaign)));
        const now = new Date(T0.getTime() + round * 3600_000);
        const { run } = await startRunWithoutQueue(now);
        const result = await pollFeed(env, { runId: run.id, feedId }, now);
        expect(result, label).toMatchObject({ state: "checked", status: "ok" });
        if (round > 0) expect(result.state === "checked" && result.itemsNew, `${label}, re-poll ${round}`).toBe(0);
      }
      const { results } = await env.DB.prepare("SELECT url FROM items WHERE feed_id = ?")
        .bind(feedId)
        .all<{ url: string | null }>();
      for (const row of results) expect(row.url ?? "", label).not.toMatch(TRACKING);
    }
  });
});
