import { parseFeedDate } from "./dates";
import { foldWhitespace, htmlToText } from "./text";
import { FeedParseError, MAX_ITEMS_PER_FEED, type ParsedFeed, type ParsedItem } from "./types";

/** JSON Feed 1.0 and 1.1 (https://www.jsonfeed.org/version/1.1/). */

function str(value: unknown): string | null {
  if (typeof value === "string") return value;
  if (typeof value === "number" && Number.isFinite(value)) return String(value);
  return null;
}

function resolve(value: unknown, base: string | null): string | null {
  const text = str(value)?.trim();
  if (!text) return null;
  try {
    return new URL(text, base ?? undefined).href;
  } catch {
    return null;
  }
}

function authorName(item: Record<string, unknown>): string | null {
  // 1.1 has `authors` (array); 1.0 had `author` (object).
  const authors = Array.isArray(item.authors) ? item.authors : item.author ? [item.author] : [];
  const names = authors
    .map((a) => (a && typeof a === "object" ? str((a as Record<string, unknown>).name) : null))
    .filter((n): n is string => Boolean(n));
  return names.length > 0 ? names.join(", ") : null;
}

export function parseJsonFeed(text: string, documentUrl: string | null): ParsedFeed {
  let doc: unknown;
  try {
    doc = JSON.parse(text);
  } catch (error) {
    throw new FeedParseError("malformed", `the JSON feed does not parse: ${(error as Error).message}`);
  }
  if (!doc || typeof doc !== "object" || Array.isArray(doc)) {
    throw new FeedParseError("not_a_feed", "the JSON document is not an object");
  }
  const feed = doc as Record<string, unknown>;
  const version = str(feed.version);
  if (!Array.isArray(feed.items) || (version !== null && !version.includes("jsonfeed.org"))) {
    throw new FeedParseError("not_a_feed", "the JSON document is not a JSON Feed (no version or items)");
  }
  const base = resolve(feed.feed_url, documentUrl) ?? documentUrl;
  const items: ParsedItem[] = [];
  for (const entry of feed.items.slice(0, MAX_ITEMS_PER_FEED)) {
    if (!entry || typeof entry !== "object") continue;
    const item = entry as Record<string, unknown>;
    const html = str(item.content_html);
    const plain = str(item.content_text);
    const content = html !== null ? htmlToText(html) : plain !== null ? foldWhitespace(plain) : "";
    const summary = str(item.summary);
    items.push({
      guid: str(item.id),
      url: resolve(item.url, base) ?? resolve(item.external_url, base),
      // JSON Feed titles and summaries are plain text; some publishers put entities in anyway.
      title: htmlToText(str(item.title) ?? ""),
      summary: summary !== null ? htmlToText(summary) : content,
      content,
      author: authorName(item) ?? authorName(feed),
      publishedAt: parseFeedDate(str(item.date_published)) ?? parseFeedDate(str(item.date_modified)),
      updatedAt: parseFeedDate(str(item.date_modified)),
    });
  }
  return {
    format: "json",
    version,
    title: str(feed.title),
    siteUrl: resolve(feed.home_page_url, base),
    ttlMinutes: null,
    // JSON Feed 1.1 gives the document no date of its own.
    updatedAt: null,
    items,
  };
}
