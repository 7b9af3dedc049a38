import { describe, expect, it } from "vitest";
import { findFeedLinks } from "../../src/feeds/discover";
import { OpmlError, opmlDocument, parseOpml } from "../../src/feeds/opml";

describe("feed autodiscovery (<link rel=alternate>)", () => {
  it("finds feed links in order, resolved against the page and its <base>, each once", () => {
    const html = `<!doctype html><html><head>
      <link rel="stylesheet" href="/s.css">
      <link rel="alternate" type="text/html" hreflang="fr" href="/fr/">
      <LINK REL="Alternate" TYPE="application/atom+xml" title="Atom &amp; more" href="atom.xml">
      <base href="https://cdn.example/feeds/">
      <link rel="alternate feed" type="application/rss+xml; charset=utf-8" href="rss.xml">
      <link rel="alternate" type="application/feed+json" href="javascript:alert(1)">
      <link rel="alternate" type="application/rss+xml" href="https://cdn.example/feeds/rss.xml">
      </head><body><link rel="alternate" type="application/feed+json" href="//news.example/feed.json"></body></html>`;
    expect(findFeedLinks(html, "https://news.example/world/")).toEqual([
      { url: "https://news.example/world/atom.xml", title: "Atom & more", type: "application/atom+xml" },
      { url: "https://cdn.example/feeds/rss.xml", title: null, type: "application/rss+xml" },
      { url: "https://news.example/feed.json", title: null, type: "application/feed+json" },
    ]);
  });

  it("finds nothing in a page without feed links", () => {
    expect(findFeedLinks("<html><head><title>x</title></head></html>", "https://a.example/")).toEqual([]);
  });
});

describe("OPML", () => {
  it("reads every subscription, in folders too, each URL once, with its title or text", () => {
    const opml = `<?xml version="1.0"?><opml version="2.0"><head/><body>
      <outline text="World"><outline type="rss" text="Wire" xmlUrl="https://wire.example/rss"/>
        <outline type="rss" text="x" title="Daily &amp; Co" xmlUrl="https://daily.example/atom"/></outline>
      <outline type="rss" text="Wire again" xmlUrl="https://wire.example/rss"/>
      <outline text="A folder, not a feed"/>
      <outline type="rss" xmlurl="https://lower.example/feed"/></body></opml>`;
    expect(parseOpml(opml)).toEqual([
      { url: "https://wire.example/rss", title: "Wire" },
      { url: "https://daily.example/atom", title: "Daily & Co" },
      { url: "https://lower.example/feed", title: null },
    ]);
  });

  it("refuses what is not OPML, and lists too long", () => {
    expect(() => parseOpml("<rss><channel/></rss>")).toThrow(OpmlError);
    const many = Array.from({ length: 1001 }, (_, i) => `<outline xmlUrl="https://f${i}.example/"/>`).join("");
    expect(() => parseOpml(`<opml><body>${many}</body></opml>`)).toThrow(/more than 1000 feeds/);
  });

  it("exports what it imports, escaped", () => {
    const feeds = [
      { url: "https://a.example/rss?x=1&y=2", title: 'A "quoted" <feed>', site_url: "https://a.example/" },
      { url: "https://b.example/atom", title: null, site_url: null },
    ];
    const xml = opmlDocument(feeds, new Date("2026-12-07T00:00:00Z"));
    expect(xml).toContain('xmlUrl="https://a.example/rss?x=1&amp;y=2"');
    expect(parseOpml(xml)).toEqual([
      { url: "https://a.example/rss?x=1&y=2", title: 'A "quoted" <feed>' },
      { url: "https://b.example/atom", title: "https://b.example/atom" },
    ]);
  });
});
