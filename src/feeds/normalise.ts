import { sha256Hex } from "../lib/digest";
import type { ParsedFeed, ParsedItem } from "./parse";

/**
 * Parsed entries → items with a stable identity, bounded text and a usable date.
 *
 * Identity (item_key), in the order Miniflux uses it:
 *  1. the guid/id, when the feed gives one and it is unique in this document (a guid that is an
 *     http(s) URL, as RSS 1.0's rdf:about and many JSON Feed ids are, loses its tracking
 *     parameters like a link);
 *  2. a guid that repeats inside one document (CMSs that stamp every entry with the feed's
 *     URL, or a constant) is qualified with the entry's canonical link;
 *  3. no guid: the canonical link (tracking parameters such as utm_* removed, fragment dropped);
 *  4. neither: a hash of the title and text.
 * An entry edited in place keeps its key and changes its content_hash: an update, not a new item.
 */

export interface NormalisedItem {
  key: string;
  guid: string | null;
  url: string | null;
  title: string;
  summary: string;
  content: string;
  author: string | null;
  /** ISO 8601; the first-seen time when the feed gives none, never in the future. */
  publishedAt: string;
  /** Changes whenever the visible text or link changes (edit in place). */
  contentHash: string;
  /** When the feed says the item was revised, if after its publication and not in the future. */
  revisedAt: string | null;
}

/** Keep a statement well under D1's 100 KB limit even with 3-byte UTF-8 characters. */
const LIMITS = { title: 1_000, summary: 4_000, content: 20_000, author: 200, url: 2_000 } as const;
/** Publishers' clocks and typos put items in the future; anything past this slack is clamped to now. */
const FUTURE_SLACK_MS = 10 * 60_000;
/** Keys longer than this are stored as their hash. */
const MAX_RAW_KEY = 200;

/** Query parameters that only say where a click came from (never which article). */
const TRACKING_PARAMS = new Set([
  "fbclid",
  "gclid",
  "dclid",
  "gbraid",
  "wbraid",
  "msclkid",
  "yclid",
  "twclid",
  "igshid",
  "mc_cid",
  "mc_eid",
  "_hsenc",
  "_hsmi",
  "mkt_tok",
  "ref_src",
  "ref_url",
  "cmpid",
  "ocid",
  "ito",
  "at_medium",
  "at_campaign",
  "at_custom1",
  "at_custom2",
  "at_custom3",
  "at_custom4",
  "spm",
  "__twitter_impression",
]);

/** The link without tracking parameters and fragment, for identity. Null when unusable. */
export function canonicalLink(url: string | null): string | null {
  return withoutTracking(url, true);
}

/**
 * The link without tracking parameters (every other parameter kept, in order), and without
 * its fragment when `dropFragment`. Null when unusable.
 */
export function withoutTracking(url: string | null, dropFragment = false): string | null {
  if (!url) return null;
  // Already canonical (what URL would give back unchanged): skip the parse, the common case.
  if (/^https?:\/\/(?:[a-z0-9-]+\.)+[a-z][a-z0-9-]*\/[a-z0-9\-_~/:@!$&'()*+,;=]*$/.test(url) && !url.includes("/."))
    return url;
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    return null;
  }
  if (dropFragment) parsed.hash = "";
  const drop: string[] = [];
  for (const name of parsed.searchParams.keys()) {
    const lower = name.toLowerCase();
    if (lower.startsWith("utm_") || lower.startsWith("pk_") || TRACKING_PARAMS.has(lower)) drop.push(name);
  }
  for (const name of drop) parsed.searchParams.delete(name);
  return parsed.href;
}

/**
 * cyrb53 (a public-domain 53-bit string hash), run with two seeds: 106 bits, synchronous and
 * about 20× cheaper than an awaited SHA-256 per item. content_hash only has to notice edits;
 * it is not a security boundary.
 */
function cyrb53(text: string, seed: number): number {
  let h1 = 0xdeadbeef ^ seed;
  let h2 = 0x41c6ce57 ^ seed;
  for (let i = 0; i < text.length; i++) {
    const ch = text.charCodeAt(i);
    h1 = Math.imul(h1 ^ ch, 2654435761);
    h2 = Math.imul(h2 ^ ch, 1597334677);
  }
  h1 = Math.imul(h1 ^ (h1 >>> 16), 2246822507) ^ Math.imul(h2 ^ (h2 >>> 13), 3266489909);
  h2 = Math.imul(h2 ^ (h2 >>> 16), 2246822507) ^ Math.imul(h1 ^ (h1 >>> 13), 3266489909);
  return 4294967296 * (2097151 & h2) + (h1 >>> 0);
}

export function contentHash(text: string): string {
  return cyrb53(text, 1).toString(16).padStart(14, "0") + cyrb53(text, 2).toString(16).padStart(14, "0");
}

function boundedKey(prefix: string, value: string): string | Promise<string> {
  if (value.length <= MAX_RAW_KEY) return `${prefix}:${value}`;
  return sha256Hex(value).then((hash) => `${prefix}#sha256:${hash}`);
}

function clip(text: string, max: number): string {
  if (text.length <= max) return text;
  // Cut on a word boundary and never inside a surrogate pair.
  const cut = text.lastIndexOf(" ", max - 1);
  return `${text.slice(0, cut > max * 0.8 ? cut : max - 1).replace(/[\uD800-\uDBFF]$/, "")}…`;
}

function revisedAt(item: ParsedItem, now: Date): string | null {
  const { publishedAt: published, updatedAt: updated } = item;
  if (updated === null || published === null || updated <= published || updated > now.getTime() + FUTURE_SLACK_MS)
    return null;
  return new Date(updated).toISOString();
}

/**
 * When the entry was published: its own date, else the document's own date (an RSS 0.91
 * channel's lastBuildDate, an Atom feed's updated: the entry was current by then, so "signed on
 * Friday" is read against the right week), else the time it was first seen. Future dates are
 * not believed.
 */
export function publishedAt(item: ParsedItem, now: Date, feedDate: number | null = null): string {
  const limit = now.getTime() + FUTURE_SLACK_MS;
  const own = item.publishedAt ?? item.updatedAt;
  const stated = own !== null && own <= limit ? own : feedDate !== null && feedDate <= limit ? feedDate : null;
  return stated === null ? now.toISOString() : new Date(stated).toISOString();
}

/** The guid as identity: trimmed, and without tracking parameters when it is a URL. */
function canonicalGuid(raw: string | null): string | null {
  const guid = raw?.trim() || null;
  if (!guid || !/^https?:\/\//i.test(guid)) return guid;
  return canonicalLink(guid) ?? guid;
}

export async function normaliseItems(feed: ParsedFeed, now: Date): Promise<NormalisedItem[]> {
  const guids = feed.items.map((item) => canonicalGuid(item.guid));
  const guidCounts = new Map<string, number>();
  for (const guid of guids) if (guid) guidCounts.set(guid, (guidCounts.get(guid) ?? 0) + 1);

  const seen = new Set<string>();
  const out: NormalisedItem[] = [];
  for (const [index, item] of feed.items.entries()) {
    const guid = guids[index] ?? null;
    const link = canonicalLink(item.url);
    const title = clip(item.title, LIMITS.title);
    const summary = clip(item.summary, LIMITS.summary);
    const content = clip(item.content, LIMITS.content);
    let pending: string | Promise<string>;
    if (guid && (guidCounts.get(guid) ?? 0) === 1) pending = boundedKey("guid", guid);
    else if (guid && link) pending = boundedKey("guid+url", `${guid} ${link}`);
    else if (link) pending = boundedKey("url", link);
    else pending = sha256Hex(`${title}\n${summary}\n${content}`).then((hash) => `hash:${hash}`);
    // Await only when a hash was needed: an await per item is measurable on big feeds.
    const key = typeof pending === "string" ? pending : await pending;
    // The same entry twice in one document: keep the first (feeds list newest first).
    if (seen.has(key)) continue;
    seen.add(key);
    // The link as stored and shown: without tracking parameters too (the fragment may point
    // into a page, e.g. one post of a live blog, so it stays).
    const shown = withoutTracking(item.url);
    const url = shown && shown.length <= LIMITS.url ? shown : link && link.length <= LIMITS.url ? link : null;
    out.push({
      key,
      guid: guid ? clip(guid, LIMITS.url) : null,
      url,
      title,
      summary,
      content,
      author: item.author ? clip(item.author, LIMITS.author) : null,
      publishedAt: publishedAt(item, now, feed.updatedAt),
      revisedAt: revisedAt(item, now),
      contentHash: contentHash(`${title}\u0000${summary}\u0000${content}\u0000${link ?? ""}`),
    });
  }
  return out;
}
