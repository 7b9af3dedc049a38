/**
 * Stage "read": items in publication order, each read once per text. An item whose text the
 * detector has already read is dropped; the others come out with their reading (claims, places,
 * dates), their SimHash and outlet, and the earlier item they copy, if any.
 */
import type { StoredItem, StorylineKind } from "../../contracts";
import { type ExtractContext, extract, type Reading } from "../extract";
import { hamming, NEAR_DUPLICATE_BITS, type SimHash, simhash } from "../simhash";
import { digest } from "../text";
import type { DetectorMemory, SeenItem, SourceRef } from "../types";

/** Bits up to which two items are copies of one another; a topic's coverage clusters wider. */
export const COPY_BITS = NEAR_DUPLICATE_BITS;
export const TOPIC_BITS = 20;

export interface ItemRead {
  /** The item as of its latest revision. */
  item: StoredItem;
  /** Digest of its text. */
  digest: string;
  /** What the detector remembers of this item from an earlier text (an edit), or null when it is new. */
  seen: SeenItem | null;
  /** Publication time, ms. */
  ms: number;
  /** Carries its own date (not only the time it was first seen). */
  dated: boolean;
  reading: Reading;
  simhash: SimHash;
  outlet: string;
  /** The nearest earlier item within copy distance (a wire copy, a re-delivery with edits, a rewrite of a topic's story). */
  copy: { itemId: string; simhash: SimHash; outlet: string } | null;
  /** The copy's id when it is the same text at another outlet: a source, but not another outlet. */
  wireCopyOf: string | null;
}

// An edit in place speaks as of its revision ("met on Friday" in a story first filed on Thursday).
function asRevised(item: StoredItem): StoredItem {
  return item.updated && item.revisedAt && item.revisedAt > item.publishedAt
    ? { ...item, publishedAt: item.revisedAt }
    : item;
}

/** Items as of their revision, oldest first (ties by id, so any batch order reads the same). */
export function orderItems(items: readonly StoredItem[]): StoredItem[] {
  return items.map(asRevised).sort((a, b) => a.publishedAt.localeCompare(b.publishedAt) || a.id.localeCompare(b.id));
}

/**
 * An undated item carries the time it was first seen (src/feeds/normalise.ts): it is new when
 * seen, and it sets no story clock, since its real time is unknown.
 */
export function isDated(item: StoredItem): boolean {
  return item.publishedAt !== item.firstSeenAt;
}

export function outletOf(item: StoredItem): string {
  if (item.feedTitle) return item.feedTitle;
  if (item.url) {
    const host = /^[a-z]+:\/\/([^/:?#]+)/i.exec(item.url)?.[1];
    if (host) return host.replace(/^www\./, "");
  }
  return item.feedId;
}

export function sourceRef(item: StoredItem, quote: string | null): SourceRef {
  return {
    itemId: item.id,
    feedId: item.feedId,
    url: item.url,
    title: item.title,
    outlet: outletOf(item),
    publishedAt: item.publishedAt,
    quote,
  };
}

/**
 * Reads one item (as ordered by orderItems) against the items already remembered; null when
 * this exact text was read before.
 */
export function readItem(
  item: StoredItem,
  seenItems: Pick<DetectorMemory, "items" | "order">,
  ctx: ExtractContext,
  kind: StorylineKind,
): ItemRead | null {
  const text = `${item.title}\n${item.summary}\n${item.content}`;
  const h = digest(text);
  const seen = seenItems.items[item.id] ?? null;
  if (seen && seen.h === h) return null;
  const hash = simhash(`${item.title} ${item.summary}`);
  const outlet = outletOf(item);

  // The nearest earlier item within copy distance; the first of equals wins.
  const limit = kind === "topic" ? TOPIC_BITS : COPY_BITS;
  let copy: ItemRead["copy"] = null;
  let copyBits = Number.POSITIVE_INFINITY;
  for (const id of seenItems.order) {
    const other = seenItems.items[id];
    if (!other || id === item.id) continue;
    const bits = hamming(hash, other.s);
    if (bits <= limit && bits < copyBits) {
      copy = { itemId: id, simhash: other.s, outlet: other.o };
      copyBits = bits;
    }
  }
  const wireCopyOf = copy && copy.outlet !== outlet && copyBits <= COPY_BITS ? copy.itemId : null;

  return {
    item,
    digest: h,
    seen,
    ms: Date.parse(item.publishedAt),
    dated: isDated(item),
    reading: extract(item, ctx),
    simhash: hash,
    outlet,
    copy,
    wireCopyOf,
  };
}
