// Renders a corpus feed (../shared/fixtures/FORMAT.md) as it looks at one tick, in its
// format (rss2, rss1, atom, jsonfeed, rss091) and with its quirks, as a real publisher would.
import { createHash } from "node:crypto";

/** The items a feed shows at tick `tickIndex`: published by then, updates applied, newest `window` first. */
export function feedItemsAt(corpus, feed, tickIndex) {
  const at = Date.parse(corpus.ticks[tickIndex].at);
  const byId = new Map();
  const updates = [];
  for (let t = 0; t <= tickIndex; t++) {
    for (const item of corpus.ticks[t].items) {
      if (item.feed !== feed.id || Date.parse(item.published) > at) continue;
      if (item.updates) updates.push(item);
      else byId.set(item.id, { ...item, identity: item, originalPublished: item.published });
    }
  }
  // `updates`: the earlier item is re-served with the new text under the SAME guid/link.
  for (const update of updates) {
    const original = byId.get(update.updates);
    if (!original) continue;
    byId.set(update.updates, {
      ...update,
      id: original.id,
      link: original.link,
      identity: original.identity,
      originalPublished: original.originalPublished,
      revisedBy: update.id,
    });
  }
  return [...byId.values()]
    .sort((a, b) => Date.parse(b.published) - Date.parse(a.published) || (a.id < b.id ? 1 : -1))
    .slice(0, feed.window ?? 20);
}

const XML_ESCAPES = { "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&apos;" };
const escapeXml = (text) => String(text).replace(/[&<>"']/g, (c) => XML_ESCAPES[c]);

// `html-entities`: the publisher writes named HTML entities straight into the XML text.
const NAMED = {
  "\u2019": "&rsquo;",
  "\u2018": "&lsquo;",
  "\u201c": "&ldquo;",
  "\u201d": "&rdquo;",
  "\u2013": "&ndash;",
  "\u2014": "&mdash;",
  "\u00a0": "&nbsp;",
};
function withNamedEntities(escaped) {
  return escaped
    .replace(/[\u2018\u2019\u201c\u201d\u2013\u2014\u00a0]/g, (c) => NAMED[c])
    .replace(/ (\$|\d)/g, "&nbsp;$1");
}

/** Text for an XML element under the feed's quirks. */
function xmlText(feed, text) {
  const escaped = escapeXml(text);
  return feed.quirks?.includes("html-entities") ? withNamedEntities(escaped) : escaped;
}

const cdata = (html) => `<![CDATA[${html.replaceAll("]]>", "]]]]><![CDATA[>")}]]>`;

function paragraphs(text) {
  return (text.match(/[^.!?]+[.!?]+["\u201d\u2019]?\s*/g) ?? [text])
    .map((s) => `<p>${escapeXml(s.trim())}</p>`)
    .join("");
}

/** The link the feed prints for an item at this tick (tracking parameters, relative form). */
export function servedLink(feed, item, tickIndex) {
  let link = item.link;
  // A link the corpus writes relative stays relative: the reader resolves it against the feed.
  if (!URL.canParse(link)) return link;
  if (feed.quirks?.includes("tracking-links")) {
    const url = new URL(link);
    url.searchParams.set("utm_source", "rss");
    url.searchParams.set("utm_medium", "feed");
    url.searchParams.set("utm_campaign", `edition-${tickIndex}`);
    link = url.toString();
  }
  if (feed.quirks?.includes("relative-links")) {
    const url = new URL(link);
    link = `${url.pathname}${url.search}`;
  }
  return link;
}

const WEEKDAYS = ["Sun", "Mon", "Tue", "Wed", "Thu", "Fri", "Sat"];
const MONTHS = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"];
const pad = (n) => String(n).padStart(2, "0");

/** RFC 822 date; with `dates-rfc822-odd`, a +0300 offset or a weekday-less, second-less GMT form. */
function rfc822(feed, iso, index) {
  const date = new Date(iso);
  if (!feed.quirks?.includes("dates-rfc822-odd")) return date.toUTCString();
  if (index % 2 === 0) {
    const local = new Date(date.getTime() + 3 * 3_600_000);
    return `${WEEKDAYS[local.getUTCDay()]}, ${pad(local.getUTCDate())} ${MONTHS[local.getUTCMonth()]} ${local.getUTCFullYear()} ${pad(local.getUTCHours())}:${pad(local.getUTCMinutes())}:${pad(local.getUTCSeconds())} +0300`;
  }
  return `${date.getUTCDate()} ${MONTHS[date.getUTCMonth()]} ${date.getUTCFullYear()} ${pad(date.getUTCHours())}:${pad(date.getUTCMinutes())} GMT`;
}

const rfc3339 = (iso) => new Date(iso).toISOString().replace(".000Z", "Z");

function summaryXml(feed, item, link) {
  if (feed.quirks?.includes("cdata-html")) {
    return cdata(`<p>${escapeXml(item.summary)} <a href="${escapeXml(link)}">Read more&nbsp;&raquo;</a></p>`);
  }
  return xmlText(feed, item.summary);
}

function contentXml(feed, item) {
  if (!item.content) return "";
  if (feed.quirks?.includes("cdata-html"))
    return `<content:encoded>${cdata(paragraphs(item.content))}</content:encoded>`;
  return `<content:encoded>${xmlText(feed, item.content)}</content:encoded>`;
}

function renderRss2(feed, items, ctx) {
  const entries = items.map((item, i) => {
    const link = servedLink(feed, item, ctx.tickIndex);
    const guid = feed.quirks?.includes("no-guid")
      ? ""
      : `<guid isPermaLink="true">${escapeXml(item.identity.link)}</guid>`;
    return `<item><title>${xmlText(feed, item.title)}</title><link>${escapeXml(link)}</link>${guid}<pubDate>${rfc822(feed, item.published, i)}</pubDate>${item.author ? `<dc:creator>${xmlText(feed, item.author)}</dc:creator>` : ""}<description>${summaryXml(feed, item, link)}</description>${contentXml(feed, item)}</item>`;
  });
  return `<rss version="2.0" xmlns:content="http://purl.org/rss/1.0/modules/content/" xmlns:dc="http://purl.org/dc/elements/1.1/"><channel><title>${xmlText(feed, feed.title)}</title><link>${escapeXml(ctx.siteUrl)}</link><description>${xmlText(feed, feed.title)}</description><lastBuildDate>${new Date(ctx.at).toUTCString()}</lastBuildDate>\n${entries.join("\n")}\n</channel></rss>`;
}

function renderRss091(feed, items, ctx) {
  // RSS 0.91 items carry no date and no guid; the channel says when it was built.
  const entries = items.map((item) => {
    const link = servedLink(feed, item, ctx.tickIndex);
    return `<item><title>${xmlText(feed, item.title)}</title><link>${escapeXml(link)}</link><description>${summaryXml(feed, item, link)}</description></item>`;
  });
  return `<!DOCTYPE rss PUBLIC "-//Netscape Communications//DTD RSS 0.91//EN" "http://my.netscape.com/publish/formats/rss-0.91.dtd">\n<rss version="0.91"><channel><title>${xmlText(feed, feed.title)}</title><link>${escapeXml(ctx.siteUrl)}</link><description>${xmlText(feed, feed.title)}</description><language>en</language><pubDate>${new Date(ctx.at).toUTCString()}</pubDate><lastBuildDate>${new Date(ctx.at).toUTCString()}</lastBuildDate>\n${entries.join("\n")}\n</channel></rss>`;
}

function renderRss1(feed, items, ctx) {
  const about = (item) =>
    escapeXml(feed.quirks?.includes("no-guid") ? servedLink(feed, item, ctx.tickIndex) : item.identity.link);
  const seq = items.map((item) => `<rdf:li rdf:resource="${about(item)}"/>`).join("");
  const entries = items.map((item) => {
    const link = servedLink(feed, item, ctx.tickIndex);
    return `<item rdf:about="${about(item)}"><title>${xmlText(feed, item.title)}</title><link>${escapeXml(link)}</link><description>${summaryXml(feed, item, link)}</description>${item.content ? contentXml(feed, item) : ""}<dc:date>${rfc3339(item.published)}</dc:date>${item.author ? `<dc:creator>${xmlText(feed, item.author)}</dc:creator>` : ""}</item>`;
  });
  return `<rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#" xmlns="http://purl.org/rss/1.0/" xmlns:dc="http://purl.org/dc/elements/1.1/" xmlns:content="http://purl.org/rss/1.0/modules/content/"><channel rdf:about="${escapeXml(ctx.feedUrl)}"><title>${xmlText(feed, feed.title)}</title><link>${escapeXml(ctx.siteUrl)}</link><description>${xmlText(feed, feed.title)}</description><items><rdf:Seq>${seq}</rdf:Seq></items></channel>\n${entries.join("\n")}\n</rdf:RDF>`;
}

function renderAtom(feed, items, ctx) {
  const entries = items.map((item) => {
    const link = servedLink(feed, item, ctx.tickIndex);
    const id = feed.quirks?.includes("no-guid")
      ? escapeXml(link)
      : `tag:${new URL(item.identity.link, ctx.siteUrl).host},2025:${item.identity.id}`;
    const summary = feed.quirks?.includes("cdata-html")
      ? `<summary type="html">${cdata(`<p>${escapeXml(item.summary)}</p>`)}</summary>`
      : `<summary type="text">${xmlText(feed, item.summary)}</summary>`;
    const content = item.content
      ? feed.quirks?.includes("cdata-html")
        ? `<content type="html">${cdata(paragraphs(item.content))}</content>`
        : `<content type="text">${xmlText(feed, item.content)}</content>`
      : "";
    return `<entry><id>${id}</id><title type="text">${xmlText(feed, item.title)}</title><link rel="alternate" type="text/html" href="${escapeXml(link)}"/><published>${rfc3339(item.originalPublished)}</published><updated>${rfc3339(item.published)}</updated>${item.author ? `<author><name>${xmlText(feed, item.author)}</name></author>` : ""}${summary}${content}</entry>`;
  });
  const updated = items[0] ? rfc3339(items[0].published) : rfc3339(ctx.at);
  return `<feed xmlns="http://www.w3.org/2005/Atom"><id>${escapeXml(ctx.feedUrl)}</id><title>${xmlText(feed, feed.title)}</title><updated>${updated}</updated><link rel="self" href="${escapeXml(ctx.feedUrl)}"/><link rel="alternate" href="${escapeXml(ctx.siteUrl)}"/>\n${entries.join("\n")}\n</feed>`;
}

function renderJsonFeed(feed, items, ctx) {
  const html = feed.quirks?.includes("cdata-html");
  return JSON.stringify(
    {
      version: "https://jsonfeed.org/version/1.1",
      title: feed.title,
      home_page_url: ctx.siteUrl,
      feed_url: ctx.feedUrl,
      items: items.map((item) => {
        const link = servedLink(feed, item, ctx.tickIndex);
        return {
          id: feed.quirks?.includes("no-guid") ? link : item.identity.id,
          url: link,
          title: item.title,
          summary: item.summary,
          ...(item.content ? (html ? { content_html: paragraphs(item.content) } : { content_text: item.content }) : {}),
          date_published: rfc3339(item.originalPublished),
          ...(item.revisedBy ? { date_modified: rfc3339(item.published) } : {}),
          ...(item.author ? { authors: [{ name: item.author }] } : {}),
        };
      }),
    },
    null,
    1,
  );
}

const CONTENT_TYPES = {
  rss2: "application/rss+xml",
  rss091: "application/rss+xml",
  rss1: "application/rdf+xml",
  atom: "application/atom+xml",
  jsonfeed: "application/feed+json",
};

/**
 * One feed document at one tick: { body: Buffer, contentType, etag }.
 * `latin1`: ISO-8859-1 bytes, characters outside it as numeric references, and only the XML
 * declaration saying so (no charset in Content-Type, so the parser must read the prolog).
 */
export function renderFeed(corpus, feed, tickIndex, feedUrl) {
  const items = feedItemsAt(corpus, feed, tickIndex);
  const ctx = { tickIndex, at: corpus.ticks[tickIndex].at, feedUrl, siteUrl: new URL("/", feedUrl).toString() };
  const latin1 = feed.quirks?.includes("latin1");
  let text;
  switch (feed.format) {
    case "rss2":
      text = renderRss2(feed, items, ctx);
      break;
    case "rss091":
      text = renderRss091(feed, items, ctx);
      break;
    case "rss1":
      text = renderRss1(feed, items, ctx);
      break;
    case "atom":
      text = renderAtom(feed, items, ctx);
      break;
    case "jsonfeed":
      text = renderJsonFeed(feed, items, ctx);
      break;
    default:
      throw new Error(`feed ${feed.id}: unknown format "${feed.format}"`);
  }
  let body;
  let contentType = CONTENT_TYPES[feed.format];
  if (feed.format === "jsonfeed") {
    body = Buffer.from(text, "utf8");
    contentType += "; charset=utf-8";
  } else if (latin1) {
    const referenced = text.replace(/[\u0100-\u{10ffff}]/gu, (c) => `&#${c.codePointAt(0)};`);
    body = Buffer.from(`<?xml version="1.0" encoding="ISO-8859-1"?>\n${referenced}`, "latin1");
  } else {
    body = Buffer.from(`<?xml version="1.0" encoding="UTF-8"?>\n${text}`, "utf8");
    contentType += "; charset=utf-8";
  }
  const etag = `"${createHash("sha256").update(body).digest("base64url").slice(0, 27)}"`;
  return { body, contentType, etag, items };
}
