import { describe, expect, it } from "vitest";
import { FeedParseError, parseFeed } from "../../src/feeds/parse";
import { parseFeedDate } from "../../src/feeds/parse/dates";
import { decodeDocument } from "../../src/feeds/parse/decode";
import { htmlToText } from "../../src/feeds/parse/text";
import atomPrefixed from "../fixtures/feeds/atom-prefixed.xml?raw";
import atom03 from "../fixtures/feeds/atom03.xml?raw";
import atom10 from "../fixtures/feeds/atom10.xml?raw";
import billionLaughs from "../fixtures/feeds/billion-laughs.xml?raw";
import externalEntity from "../fixtures/feeds/external-entity.xml?raw";
import jsonFeed10 from "../fixtures/feeds/jsonfeed10.json?raw";
import jsonFeed11 from "../fixtures/feeds/jsonfeed11.json?raw";
import notAFeed from "../fixtures/feeds/not-a-feed.html?raw";
import rss1 from "../fixtures/feeds/rss1-rdf.xml?raw";
import rss2 from "../fixtures/feeds/rss2-cdata-html.xml?raw";
import rss2Quirks from "../fixtures/feeds/rss2-quirks.xml?raw";
import rss091 from "../fixtures/feeds/rss091.xml?raw";
import wordpress from "../fixtures/feeds/wordpress.xml?raw";

const utf8 = (text: string) => new TextEncoder().encode(text);
/** Encodes text whose characters are all below U+0100 one byte per character (Latin-1). */
const latin1 = (text: string) => Uint8Array.from(text, (c) => c.charCodeAt(0));
const concat = (...parts: Uint8Array[]) => {
  const out = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
  let offset = 0;
  for (const part of parts) {
    out.set(part, offset);
    offset += part.length;
  }
  return out;
};

describe("format detection from content", () => {
  it("reads RSS 2.0 with CDATA HTML, content:encoded and dc:creator", () => {
    const feed = parseFeed(rss2, { url: "https://wire-a.example/world/feed.xml" });
    expect(feed).toMatchObject({
      format: "rss",
      version: "2.0",
      title: "Wire A – World",
      siteUrl: "https://wire-a.example/world",
      ttlMinutes: 30,
    });
    expect(feed.items).toHaveLength(2);
    expect(feed.items[0]).toEqual({
      guid: "wire-a-0007",
      url: "https://wire-a.example/world/0007-summit-alaska",
      title: "Leaders to meet in Alaska on Friday",
      summary: "The two leaders will meet on Friday in Alaska, officials said. No agenda was released.",
      content: "The two leaders will meet on Friday. Second paragraph — with details.",
      author: "Jane Reporter",
      publishedAt: Date.UTC(2025, 7, 12, 18, 3),
      updatedAt: null,
    });
    // "&amp;amp;" in XML is the text "&amp;", which RSS titles treat as HTML: one "&".
    expect(feed.items[1]?.title).toBe("Talks & tensions: what’s next");
    expect(feed.items[1]?.summary).toBe("Plain text summary with an ampersand & a less-than < sign.");
  });

  it("reads RSS 0.91 with its DOCTYPE and an ISO-8859-1 prolog", () => {
    const feed = parseFeed(utf8(rss091));
    expect(feed.format).toBe("rss");
    expect(feed.version).toBe("0.91");
    expect(feed.items[0]).toMatchObject({
      title: "Ceasefire extended by a week",
      url: "https://old.example/stories/ceasefire-extended",
      guid: null,
      publishedAt: null,
    });
  });

  it("reads the document's own date: the latest of a channel's dates, an Atom feed's updated", () => {
    const doc = `<rss version="0.91"><channel><title>T</title><pubDate>Mon, 11 Aug 2025 06:00:00 GMT</pubDate><lastBuildDate>Tue, 12 Aug 2025 07:30:00 GMT</lastBuildDate><item><title>Undated</title><link>https://old.example/a</link></item></channel></rss>`;
    const feed = parseFeed(utf8(doc));
    expect(feed.updatedAt).toBe(Date.UTC(2025, 7, 12, 7, 30));
    expect(feed.items[0]?.publishedAt).toBeNull();
    expect(parseFeed(atom10).updatedAt).toBe(Date.parse("2025-08-12T18:30:02Z"));
    expect(parseFeed(utf8(rss091)).updatedAt).toBeNull();
  });

  it("reads RSS 1.0 (RDF) with items outside the channel and dc:date", () => {
    const feed = parseFeed(rss1);
    expect(feed.format).toBe("rdf");
    expect(feed.title).toBe("RDF Site Summary");
    expect(feed.items.map((i) => i.title)).toEqual(["Treaty signed in Geneva", "Treaty text agreed"]);
    expect(feed.items[0]).toMatchObject({
      guid: "https://rdf.example/a1",
      author: "Desk",
      publishedAt: Date.UTC(2025, 2, 4, 8),
    });
    expect(feed.items[1]?.publishedAt).toBe(Date.UTC(2025, 2, 3));
  });

  it("reads Atom 1.0: xhtml and html text constructs, rel=alternate, xml:base, author name, ignores <source>", () => {
    const feed = parseFeed(atom10, { url: "https://atom.example/feed" });
    expect(feed.format).toBe("atom");
    expect(feed.title).toBe("Atom Desk");
    expect(feed.siteUrl).toBe("https://atom.example/blog/");
    const [first, second] = feed.items;
    expect(first).toEqual({
      guid: "tag:atom.example,2025:summit-1",
      url: "https://atom.example/blog/posts/summit-anchorage",
      title: "Summit moved to Anchorage",
      summary: "The venue changed.",
      content: "Officials confirmed the move. More later.",
      author: "Kim Writer",
      publishedAt: Date.UTC(2025, 7, 12, 16, 30, 2),
      updatedAt: Date.UTC(2025, 7, 12, 19),
    });
    // type="text" keeps what looks like markup as text.
    expect(second?.title).toBe("Plain & simple <text>");
    expect(second?.url).toBe("https://atom.example/archive/older-post");
    expect(second?.publishedAt).toBe(Date.UTC(2025, 7, 10, 7));
  });

  it("reads Atom 0.3: mode=escaped and mode=base64, issued/modified", () => {
    const feed = parseFeed(atom03);
    expect(feed.format).toBe("atom");
    expect(feed.version).toBe("0.3");
    expect(feed.items[0]).toMatchObject({
      title: "Deal ratified",
      summary: "Parliament voted yes.",
      url: "https://atom03.example/deal-ratified",
      publishedAt: Date.UTC(2025, 0, 10, 14),
    });
  });

  it("reads JSON Feed 1.1 and 1.0 (authors and author, url and external_url, relative urls)", () => {
    const v11 = parseFeed(jsonFeed11);
    expect(v11.format).toBe("json");
    expect(v11.title).toBe("JSON Desk");
    expect(v11.items[0]).toEqual({
      guid: "2",
      url: "https://json.example/2025/talks-resume",
      title: "Talks resume in Istanbul",
      summary: "Second round of talks.",
      content: "Delegations met again.",
      author: "Ali Reporter",
      publishedAt: Date.UTC(2025, 4, 16, 7),
      updatedAt: Date.UTC(2025, 4, 16, 12),
    });
    expect(v11.items[1]).toMatchObject({
      guid: "1",
      url: "https://elsewhere.example/story",
      title: "",
      summary: "Only text content, no title.",
      author: "Feed Author",
    });
    const v10 = parseFeed(jsonFeed10, { url: "https://json10.example/feed.json" });
    expect(v10.items[0]).toMatchObject({ url: "https://json10.example/p/1", author: "Old Author" });
  });

  it("reads Atom whose elements carry a namespace prefix (a:feed, h:div)", () => {
    const feed = parseFeed(atomPrefixed);
    expect(feed.format).toBe("atom");
    expect(feed.title).toBe("Prefixed Atom");
    expect(feed.items[0]).toMatchObject({
      title: "Ministers agree text",
      url: "https://prefixed.example/1",
      guid: "urn:prefixed:1",
      summary: "Agreed overnight.",
      publishedAt: Date.UTC(2025, 3, 2, 9),
    });
  });

  it("reads a WordPress feed: module namespaces, media:title and atom:link ignored, figure captions kept as text", () => {
    const feed = parseFeed(wordpress, { url: "https://paper.example/feed/" });
    expect(feed.siteUrl).toBe("https://paper.example");
    expect(feed.items).toHaveLength(3);
    expect(feed.items[0]).toMatchObject({
      title: "Council votes on the treaty’s ratification",
      url: "https://paper.example/2025/08/13/council-votes/",
      guid: "https://paper.example/?p=4411",
      author: "Sam Editor",
      summary: "The council voted 31–9 to ratify. … Continue reading",
      content: "The council voted 31–9 to ratify the treaty. The chamber The vote followed months of debate.",
    });
  });

  it("ignores the Content-Type: an Atom document served as text/html is still Atom", () => {
    expect(parseFeed(utf8(atom10), { contentType: "text/html; charset=utf-8" }).format).toBe("atom");
    expect(parseFeed(`\n\n  ${jsonFeed10}`).format).toBe("json");
  });

  it("finds the feed behind leading junk (a PHP warning before the prolog)", () => {
    const doc = `Warning: Cannot modify header information in /var/www/feed.php on line 3\n${rss091}`;
    expect(parseFeed(doc).items[0]?.title).toBe("Ceasefire extended by a week");
  });

  it("refuses an HTML page, an empty body and JSON that is not a feed", () => {
    for (const body of [notAFeed, "", "   ", '{"hello": "world"}', "plain text"]) {
      expect(() => parseFeed(body), body).toThrow(FeedParseError);
    }
    try {
      parseFeed(notAFeed);
    } catch (error) {
      expect((error as FeedParseError).reason).toBe("not_a_feed");
    }
  });
});

describe("character sets", () => {
  const rssWith = (prolog: string, title: Uint8Array) =>
    concat(
      latin1(`<?xml version="1.0" encoding="${prolog}"?><rss version="2.0"><channel><item><title>`),
      title,
      latin1("</title></item></channel></rss>"),
    );

  it("decodes windows-1252 inside workerd: 0x80 is € and 0x93/0x94 are curly quotes", () => {
    const bytes = rssWith("windows-1252", Uint8Array.from([0x80, 0x20, 0x93, 0x71, 0x94, 0x20, 0xe9]));
    expect(parseFeed(bytes).items[0]?.title).toBe("€ “q” é");
  });

  it("reads an ISO-8859-1 prolog as windows-1252, as the Encoding Standard says (latin1 quirk)", () => {
    const bytes = rssWith("ISO-8859-1", concat(latin1("Caf\u00e9 "), Uint8Array.from([0x80])));
    expect(parseFeed(bytes).items[0]?.title).toBe("Café €");
  });

  it("decodes windows-1251 Cyrillic", () => {
    // "Мир" in windows-1251.
    const bytes = rssWith("windows-1251", Uint8Array.from([0xcc, 0xe8, 0xf0]));
    expect(parseFeed(bytes).items[0]?.title).toBe("Мир");
  });

  it("lets valid UTF-8 win over a prolog that wrongly says ISO-8859-1", () => {
    const bytes = rssWith("ISO-8859-1", utf8("Zürich – €5"));
    expect(parseFeed(bytes).items[0]?.title).toBe("Zürich – €5");
  });

  it("takes the charset from the Content-Type header before the prolog", () => {
    const bytes = rssWith("utf-8", Uint8Array.from([0xcc, 0xe8, 0xf0]));
    expect(parseFeed(bytes, { contentType: "application/rss+xml; charset=windows-1251" }).items[0]?.title).toBe("Мир");
  });

  it("honours byte order marks (UTF-8 and UTF-16LE)", () => {
    const doc = '<?xml version="1.0"?><rss version="2.0"><channel><item><title>Ärger €</title></item></channel></rss>';
    expect(parseFeed(concat(Uint8Array.from([0xef, 0xbb, 0xbf]), utf8(doc))).items[0]?.title).toBe("Ärger €");
    const utf16 = new Uint8Array(2 + doc.length * 2);
    utf16.set([0xff, 0xfe]);
    for (let i = 0; i < doc.length; i++) {
      const code = doc.charCodeAt(i);
      utf16[2 + i * 2] = code & 0xff;
      utf16[3 + i * 2] = code >> 8;
    }
    expect(decodeDocument(utf16).encoding).toBe("utf-16le");
    expect(parseFeed(utf16).items[0]?.title).toBe("Ärger €");
  });

  it("falls back to windows-1252 for bytes that are not UTF-8 and declare nothing", () => {
    const bytes = concat(
      latin1("<rss><channel><item><title>"),
      Uint8Array.from([0x80]),
      latin1("</title></item></channel></rss>"),
    );
    expect(parseFeed(bytes).items[0]?.title).toBe("€");
  });
});

describe("hostile namespace prefixes", () => {
  it("treat __proto__ and constructor as ordinary prefixes", () => {
    const doc = `<rss xmlns:__proto__="x" xmlns:constructor="http://purl.org/dc/elements/1.1/"><channel><item>
      <__proto__:title>no</__proto__:title><title>Safe</title><constructor:creator>Ann</constructor:creator></item></channel></rss>`;
    expect(parseFeed(doc).items[0]).toMatchObject({ title: "Safe", author: "Ann" });
    expect(({} as Record<string, unknown>).title).toBeUndefined();
  });
});

describe("illegal control characters", () => {
  it("are stripped instead of failing the document", () => {
    const doc =
      "<rss><channel><item><title>Bad\u0000 \u0008byte\u001b here\u000c</title><description>ok\u0001</description></item></channel></rss>";
    const item = parseFeed(utf8(doc)).items[0];
    expect(item?.title).toBe("Bad byte here");
    expect(item?.summary).toBe("ok");
  });
});

describe("entity expansion attacks", () => {
  it("leaves billion-laughs entities unexpanded and finishes fast", () => {
    const started = Date.now();
    const feed = parseFeed(billionLaughs);
    expect(Date.now() - started).toBeLessThan(500);
    expect(feed.items[0]?.title).toBe("&lol9;");
    expect(feed.items[0]?.summary.length).toBeLessThan(100);
  });

  it("never resolves external entities (nothing is fetched, no file is read)", () => {
    const feed = parseFeed(externalEntity);
    expect(feed.items[0]?.title).toBe("Secret: &xxe;");
    expect(feed.items[0]?.summary).toBe("&file;");
  });

  it("decodes a flood of numeric entities in linear time", () => {
    const flood = "&#65;".repeat(200_000);
    const started = Date.now();
    const feed = parseFeed(
      `<rss><channel><item><title>x</title><description>${flood}</description></item></channel></rss>`,
    );
    expect(Date.now() - started).toBeLessThan(2000);
    expect(feed.items[0]?.summary).toBe("A".repeat(200_000));
  });

  it("bounds the number of items built from one document", () => {
    const items = "<item><title>t</title></item>".repeat(5000);
    expect(parseFeed(`<rss><channel>${items}</channel></rss>`).items).toHaveLength(1000);
  });
});

describe("HTML in titles and summaries", () => {
  it("becomes clean text: tags dropped, entities decoded, blocks separated, whitespace folded", () => {
    expect(htmlToText("<p>One</p><p>Two<br>Three</p>")).toBe("One Two Three");
    expect(htmlToText("caf&eacute; &mdash; &#x2019;s &amp;amp;")).toBe("café — ’s &amp;");
    expect(htmlToText("<script>alert(1)</script><style>x{}</style>Visible")).toBe("Visible");
    expect(htmlToText("  lots \n\t of   space ")).toBe("lots of space");
  });

  it("decodes named HTML entities in RSS text (html-entities quirk) and naked inline markup", () => {
    const feed = parseFeed(rss2Quirks, { url: "https://regional.example/feed.rss" });
    const byTitle = new Map(feed.items.map((i) => [i.title, i]));
    expect(byTitle.get("No weekday, no seconds")?.summary).toBe("HTML entities: café — naïve text …");
    expect(byTitle.get("Inline markup in description")?.summary).toBe("Naked markup in a description");
  });
});

describe("links resolve against the feed's base", () => {
  it("resolves relative RSS links against the document URL (relative-links quirk)", () => {
    const feed = parseFeed(rss2Quirks, { url: "https://regional.example/feeds/main.rss" });
    expect(feed.items[0]?.url).toBe("https://regional.example/news/2025/02/26/relative-story");
  });

  it("resolves against nested xml:base (Atom), and keeps absolute links as written", () => {
    const feed = parseFeed(atom10, { url: "https://ignored.example/" });
    expect(feed.items[0]?.url).toBe("https://atom.example/blog/posts/summit-anchorage");
    expect(feed.items[1]?.url).toBe("https://atom.example/archive/older-post");
  });

  it("maps an RSS permalink guid to the link when there is no <link>", () => {
    const doc =
      '<rss version="2.0"><channel><item><guid>https://g.example/1</guid></item><item><guid isPermaLink="false">https://g.example/2</guid></item></channel></rss>';
    const feed = parseFeed(doc);
    expect(feed.items[0]?.url).toBe("https://g.example/1");
    expect(feed.items[1]?.url).toBeNull();
  });
});

describe("dates", () => {
  const cases: Array<[string, number | null]> = [
    ["Tue, 12 Aug 2025 18:03:00 +0000", Date.UTC(2025, 7, 12, 18, 3)],
    ["Wed, 26 Feb 2025 14:05:00 +0300", Date.UTC(2025, 1, 26, 11, 5)],
    ["26 Feb 2025 11:05 GMT", Date.UTC(2025, 1, 26, 11, 5)],
    ["Thu, 27 Feb 2025 10:00:00 +0530", Date.UTC(2025, 1, 27, 4, 30)],
    ["Thu, 27 Feb 2025 10:00:00 +0545", Date.UTC(2025, 1, 27, 4, 15)],
    ["Thu, 27 Feb 2025 10:00:00 +05:30", Date.UTC(2025, 1, 27, 4, 30)],
    ["Fri, 28 Feb 25 08:00:00 EST", Date.UTC(2025, 1, 28, 13)],
    ["Sat, 1 Mar 2025 8:00:00 PDT", Date.UTC(2025, 2, 1, 15)],
    ["Sun, 02 March 2025 08:00:00 UT", Date.UTC(2025, 2, 2, 8)],
    ["Tuesday, 12-Aug-25 18:03:00 GMT", Date.UTC(2025, 7, 12, 18, 3)],
    ["12 Sept 2025 10:00 Z", Date.UTC(2025, 8, 12, 10)],
    ["2025-03-01T12:30:00+01:00", Date.UTC(2025, 2, 1, 11, 30)],
    ["2025-03-01T12:30:00.250Z", Date.UTC(2025, 2, 1, 12, 30, 0, 250)],
    ["2025-03-01 12:30:00", Date.UTC(2025, 2, 1, 12, 30)],
    ["2025-03-01", Date.UTC(2025, 2, 1)],
    ["20250301T123000Z", Date.UTC(2025, 2, 1, 12, 30)],
    ["sometime last week", null],
    ["", null],
    ["Wed, 26 Foo 2025 14:05:00 +0300", null],
  ];
  for (const [raw, want] of cases) {
    it(`reads ${JSON.stringify(raw)}`, () => {
      expect(parseFeedDate(raw)).toBe(want);
    });
  }

  it("gives up at once on a hostile date (a long run of spaces cannot make the regexes backtrack)", () => {
    const started = Date.now();
    // Without the length cap this shape backtracks quadratically (8,000 pairs already cost ~170 ms).
    expect(parseFeedDate(`1 Jan 2025 ${" \t".repeat(100_000)}(`)).toBeNull();
    expect(parseFeedDate(`2025-01-01${" ".repeat(200_000)}x`)).toBeNull();
    expect(Date.now() - started).toBeLessThan(200);
    expect(parseFeedDate("Tue, 12 Aug 2025 18:03:00 -0700 (Pacific Daylight Time)")).toBe(Date.UTC(2025, 7, 13, 1, 3));
  });

  it("returns null for an unreadable date in a feed (the normaliser then uses first-seen)", () => {
    const feed = parseFeed(rss2Quirks);
    expect(feed.items.find((i) => i.title === "Unreadable date")?.publishedAt).toBeNull();
  });
});
