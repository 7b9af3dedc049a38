/**
 * Synthetic news feeds for the parsing benchmark, from a fixed seed: the same bytes every run.
 * Shapes follow real news feeds: CDATA HTML summaries, content:encoded, dc:creator, entities.
 */

function rng(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const WORDS =
  "summit talks leaders agreed date venue ceasefire minister said officials confirmed meeting delegation capital announced government president treaty signed negotiators week friday sanctions region border agreement reported statement spokesman".split(
    " ",
  );

function sentence(random: () => number, words: number): string {
  const out: string[] = [];
  for (let i = 0; i < words; i++) out.push(WORDS[Math.floor(random() * WORDS.length)] ?? "news");
  const text = out.join(" ");
  return `${text.charAt(0).toUpperCase()}${text.slice(1)}.`;
}

function paragraph(random: () => number, chars: number): string {
  let text = "";
  while (text.length < chars) text += `${sentence(random, 8 + Math.floor(random() * 10))} `;
  return text.trim();
}

export interface BenchItem {
  guid: string;
  title: string;
  summary: string;
  content: string;
  published: Date;
}

export function makeItems(count: number, contentChars: number, seed = 7): BenchItem[] {
  const random = rng(seed);
  const start = Date.UTC(2025, 7, 13, 12);
  return Array.from({ length: count }, (_, i) => ({
    guid: `https://wire.example/world/${100000 + i}`,
    title: sentence(random, 7 + Math.floor(random() * 6)),
    summary: paragraph(random, 300),
    content: paragraph(random, contentChars),
    published: new Date(start - i * 17 * 60_000),
  }));
}

export function rssDocument(items: BenchItem[]): string {
  const body = items
    .map(
      (item) => `<item>
  <title>${item.title} &#8211; Wire</title>
  <link>${item.guid}?utm_source=rss&amp;utm_medium=feed</link>
  <guid isPermaLink="true">${item.guid}</guid>
  <pubDate>${item.published.toUTCString()}</pubDate>
  <dc:creator>Desk Reporter</dc:creator>
  <description><![CDATA[<p>${item.summary}</p>]]></description>
  ${item.content ? `<content:encoded><![CDATA[<div><p>${item.content}</p><p>Read more &raquo;</p></div>]]></content:encoded>` : ""}
</item>`,
    )
    .join("\n");
  return `<?xml version="1.0" encoding="UTF-8"?>
<rss version="2.0" xmlns:content="http://purl.org/rss/1.0/modules/content/" xmlns:dc="http://purl.org/dc/elements/1.1/">
<channel>
<title>Wire &#8211; World</title>
<link>https://wire.example/world</link>
<description>World news</description>
${body}
</channel>
</rss>`;
}

export function atomDocument(items: BenchItem[]): string {
  const body = items
    .map(
      (item) => `<entry>
  <title type="html">${item.title} &amp;mdash; Desk</title>
  <link rel="alternate" type="text/html" href="${item.guid}"/>
  <id>${item.guid}</id>
  <published>${item.published.toISOString()}</published>
  <updated>${item.published.toISOString()}</updated>
  <author><name>Desk Reporter</name></author>
  <summary type="html">&lt;p&gt;${item.summary}&lt;/p&gt;</summary>
  ${item.content ? `<content type="html">&lt;div&gt;&lt;p&gt;${item.content}&lt;/p&gt;&lt;/div&gt;</content>` : ""}
</entry>`,
    )
    .join("\n");
  return `<?xml version="1.0" encoding="utf-8"?>
<feed xmlns="http://www.w3.org/2005/Atom">
<title>Desk</title>
<link rel="alternate" href="https://wire.example/"/>
<id>urn:wire</id>
<updated>2025-08-13T12:00:00Z</updated>
${body}
</feed>`;
}
