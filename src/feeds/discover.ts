/**
 * Feed autodiscovery, as feed readers do it: a site's HTML names its feeds in
 * `<link rel="alternate" type="application/rss+xml|atom+xml|feed+json" href>` (RSS Advisory
 * Board's autodiscovery spec; HTML Living Standard §4.6.7.1 "alternate").
 */
import { Parser } from "htmlparser2";
import { InvalidInput } from "../lib/errors";
import { fetchFeed } from "./fetch";
import { FeedParseError, parseFeed } from "./parse";

export interface FeedLink {
  url: string;
  title: string | null;
  type: string;
}

const FEED_TYPES = new Set([
  "application/rss+xml",
  "application/atom+xml",
  "application/feed+json",
  "application/json",
  "application/rdf+xml",
]);
/** A site's page is read up to here: the <head> comes first. */
const DISCOVERY_MAX_BYTES = 2 * 1024 * 1024;
const MAX_LINKS = 20;

/** The feeds an HTML page advertises, in document order, resolved against the page (and its <base href>). */
export function findFeedLinks(html: string, pageUrl: string): FeedLink[] {
  const links: FeedLink[] = [];
  let base = pageUrl;
  const parser = new Parser(
    {
      onopentag(name, attributes) {
        if (name === "base" && attributes.href) {
          try {
            base = new URL(attributes.href, pageUrl).href;
          } catch {
            // a broken <base> is ignored, as browsers do
          }
        }
        if (name !== "link" || links.length >= MAX_LINKS) return;
        const rel = (attributes.rel ?? "").toLowerCase().split(/\s+/);
        const type = (attributes.type ?? "").toLowerCase().split(";")[0]?.trim() ?? "";
        if (!rel.includes("alternate") || !FEED_TYPES.has(type) || !attributes.href) return;
        try {
          const url = new URL(attributes.href, base);
          if (url.protocol !== "http:" && url.protocol !== "https:") return;
          if (links.some((link) => link.url === url.href)) return;
          links.push({ url: url.href, title: attributes.title?.trim() || null, type });
        } catch {
          // an href that does not resolve names no feed
        }
      },
    },
    { decodeEntities: true, lowerCaseTags: true, lowerCaseAttributeNames: true },
  );
  parser.write(html);
  parser.end();
  return links;
}

/**
 * The feed at `address`: the address itself when it serves a feed, else the first feed its
 * page advertises. Throws InvalidInput, saying what to do, when it cannot be read or names none.
 */
export async function discoverFeed(
  address: string,
  options: { allowPrivateNetwork: boolean },
): Promise<{ url: string; title: string | null; discovered: boolean; candidates: FeedLink[] }> {
  const fetched = await fetchFeed(address, { ...options, validators: null, maxBytes: DISCOVERY_MAX_BYTES });
  if (fetched.kind === "error") {
    throw new InvalidInput(
      "url",
      fetched.message,
      `Could not read ${address}: ${fetched.message}. Check the address, or paste the feed's own address.`,
    );
  }
  if (fetched.kind === "not_modified") return { url: address, title: null, discovered: false, candidates: [] };
  try {
    const parsed = parseFeed(fetched.body, { url: fetched.finalUrl, contentType: fetched.contentType });
    return { url: address, title: parsed.title, discovered: false, candidates: [] };
  } catch (error) {
    if (!(error instanceof FeedParseError)) throw error;
  }
  const html = new TextDecoder().decode(fetched.body);
  const candidates = findFeedLinks(html, fetched.finalUrl);
  const first = candidates[0];
  if (!first) {
    throw new InvalidInput(
      "url",
      "is not a feed and names none",
      `${address} is not a feed, and its page names no RSS, Atom or JSON Feed in a <link rel="alternate">. Paste the feed's own address.`,
    );
  }
  return { url: first.url, title: first.title, discovered: true, candidates };
}
