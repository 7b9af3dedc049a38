import { createHmac } from "node:crypto";
import { describe, expect, it } from "vitest";
import { feedItemsAt, renderFeed, servedLink } from "../../../scripts/replay/feeds.mjs";
import { startFeedServer, startWebhookReceiver } from "../../../scripts/replay/servers.mjs";

const item = (id: string, published: string, extra: Record<string, unknown> = {}) => ({
  feed: "f",
  id,
  title: `Title ${id} – “quoted”`,
  summary: `Summary of ${id} for $5 billion.`,
  content: "First sentence. Second sentence.",
  link: `https://news.example/world/${id}`,
  published,
  ...extra,
});

function corpusWith(format: string, quirks: string[], window = 2) {
  return {
    name: "t",
    storylines: [],
    feeds: [{ id: "f", title: "Feed – One", format, window, quirks }],
    ticks: [
      { at: "2025-01-01T12:00:00Z", items: [item("a", "2025-01-01T08:00:00Z"), item("b", "2025-01-01T09:00:00Z")] },
      {
        at: "2025-01-02T12:00:00Z",
        items: [
          item("c", "2025-01-02T08:00:00Z"),
          item("a2", "2025-01-02T09:00:00Z", { updates: "a", title: "Title a, corrected" }),
          item("late", "2025-01-03T08:00:00Z"),
        ],
      },
    ],
  };
}

describe("replay feed rendering", () => {
  it("serves the newest `window` items published by the tick, with updates under the original identity", () => {
    const corpus = corpusWith("rss2", []);
    const feed = corpus.feeds[0];
    expect(feedItemsAt(corpus, feed, 0).map((i: { id: string }) => i.id)).toEqual(["b", "a"]);
    const tick1 = feedItemsAt(corpus, feed, 1);
    // "late" is not published yet; a's correction keeps a's id and link and moves to the top.
    expect(tick1.map((i: { id: string; title: string; link: string }) => [i.id, i.title, i.link])).toEqual([
      ["a", "Title a, corrected", "https://news.example/world/a"],
      ["c", "Title c – “quoted”", "https://news.example/world/c"],
    ]);
  });

  it("applies the quirks", () => {
    const odd = corpusWith("rss2", ["latin1", "no-guid", "dates-rfc822-odd"]);
    const latin1 = renderFeed(odd, odd.feeds[0], 0, "http://127.0.0.1:1/f");
    const text = latin1.body.toString("latin1");
    expect(text.startsWith('<?xml version="1.0" encoding="ISO-8859-1"?>')).toBe(true);
    expect(latin1.contentType).toBe("application/rss+xml");
    expect(text).toContain("&#8211;");
    expect(text).not.toContain("<guid");
    expect(text).toMatch(
      /<pubDate>\w{3}, \d\d \w{3} 2025 \d\d:\d\d:\d\d \+0300<\/pubDate>|<pubDate>\d{1,2} \w{3} 2025 \d\d:\d\d GMT<\/pubDate>/,
    );

    const corpus = corpusWith("atom", ["relative-links", "html-entities"]);
    const atom = renderFeed(corpus, corpus.feeds[0], 0, "http://127.0.0.1:1/f").body.toString("utf8");
    expect(atom).toContain('href="/world/a"');
    expect(atom).toContain("&ndash;");

    // A corpus may write the link relative already: it is served as written.
    const relative = { ...item("a", ""), link: "/world/a" };
    expect(servedLink(corpus.feeds[0], relative, 0)).toBe("/world/a");
    expect(servedLink(corpusWith("rss2", ["tracking-links"]).feeds[0], relative, 0)).toBe("/world/a");
    const relativeCorpus = corpusWith("atom", ["relative-links"]);
    for (const tick of relativeCorpus.ticks) for (const i of tick.items) i.link = new URL(i.link).pathname;
    expect(
      renderFeed(relativeCorpus, relativeCorpus.feeds[0], 0, "http://127.0.0.1:1/f").body.toString("utf8"),
    ).toContain('href="/world/a"');

    const tracked = corpusWith("jsonfeed", ["tracking-links"]);
    const feed = tracked.feeds[0];
    expect(servedLink(feed, item("a", ""), 0)).not.toBe(servedLink(feed, item("a", ""), 1));
    const json = JSON.parse(renderFeed(tracked, feed, 0, "http://127.0.0.1:1/f").body.toString("utf8"));
    expect(json.items[0]).toMatchObject({ id: "b", url: expect.stringContaining("utm_source=") });

    for (const format of ["rss1", "rss091"]) {
      const c = corpusWith(format, ["cdata-html"]);
      const body = renderFeed(c, c.feeds[0], 0, "http://127.0.0.1:1/f").body.toString("utf8");
      expect(body).toContain("<![CDATA[<p>");
    }
  });

  it("answers conditional GETs with 304", async () => {
    const server = await startFeedServer(corpusWith("rss2", []));
    try {
      const first = await fetch(server.feedUrl("f"));
      expect(first.status).toBe(200);
      const etag = first.headers.get("etag") ?? "";
      expect((await fetch(server.feedUrl("f"), { headers: { "if-none-match": etag } })).status).toBe(304);
      server.setTick(1);
      expect((await fetch(server.feedUrl("f"), { headers: { "if-none-match": etag } })).status).toBe(200);
    } finally {
      await server.close();
    }
  });

  it("accepts only correctly signed webhooks (Standard Webhooks)", async () => {
    const secret = `whsec_${Buffer.from("0123456789abcdef0123456789abcdef").toString("base64")}`;
    const receiver = await startWebhookReceiver();
    receiver.setSecret(secret);
    try {
      const body = JSON.stringify({ type: "development.created", data: {} });
      const id = "msg_1";
      const timestamp = String(Math.floor(Date.now() / 1000));
      const key = Buffer.from(secret.slice(6), "base64");
      const signature = createHmac("sha256", key).update(`${id}.${timestamp}.${body}`).digest("base64");
      const send = (sig: string) =>
        fetch(receiver.url, {
          method: "POST",
          headers: { "webhook-id": id, "webhook-timestamp": timestamp, "webhook-signature": `v1,${sig}` },
          body,
        });
      expect((await send(signature)).status).toBe(204);
      expect((await send(signature.replace(/^./, (c) => (c === "A" ? "B" : "A")))).status).toBe(401);
      expect(receiver.deliveries.map((d: { verified: boolean }) => d.verified)).toEqual([true, false]);
    } finally {
      await receiver.close();
    }
  });
});
