export type FeedFormat = "rss" | "rdf" | "atom" | "json";

/** One entry as the document states it; text fields are clean text, URLs absolute. */
export interface ParsedItem {
  guid: string | null;
  url: string | null;
  title: string;
  summary: string;
  content: string;
  author: string | null;
  /** Epoch ms, or null when the entry carries no readable date. */
  publishedAt: number | null;
  updatedAt: number | null;
}

export interface ParsedFeed {
  format: FeedFormat;
  /** e.g. "2.0", "0.91", "1.0", "0.3", "https://jsonfeed.org/version/1.1"; null when unstated. */
  version: string | null;
  title: string | null;
  siteUrl: string | null;
  /** RSS <ttl> in minutes: how long the publisher asks readers to cache the feed. */
  ttlMinutes: number | null;
  /**
   * The document's own date (epoch ms): RSS channel lastBuildDate or pubDate, RSS 1.0 channel
   * dc:date, Atom feed updated. An entry without a date of its own was current by then.
   */
  updatedAt: number | null;
  items: ParsedItem[];
}

export class FeedParseError extends Error {
  constructor(
    readonly reason: "not_a_feed" | "malformed",
    message: string,
  ) {
    super(message);
    this.name = "FeedParseError";
  }
}

/** Bounds so one hostile document cannot make us build unbounded objects. */
export const MAX_ITEMS_PER_FEED = 1000;
