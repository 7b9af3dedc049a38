/**
 * The matching stage of the flow: new items in, one `detections` message per (storyline that
 * matched, batch of item ids) out.
 * All active storylines are compiled into one matcher (cached per isolate until a storyline's
 * query changes); every item is split into words once and checked against all of them.
 */
import type {
  DetectionMessage,
  IngestRequest,
  IngestResult,
  ItemBatch,
  StoredItem,
  StorylineRecord,
} from "../contracts";
import { sha256Hex } from "../lib/digest";
import { recentItems } from "../store/items";
import {
  clearStorylineStatus,
  listMatchingStorylines,
  type MatchingStoryline,
  recordStorylineFailure,
} from "../store/storylines";
import { compileMatcher, MAX_CONTENT_CHARS, type Matcher, prepareItem } from "./matcher";
import { type CompiledQuery, compileQuery, QuerySyntaxError } from "./query";

/** Most stored items a new (or re-queried) storyline is checked against. */
export const BACKFILL_LIMIT = 2000;
/** Items per detector call, to keep each RPC message small. */
const INGEST_CHUNK = 200;

let cached: { signature: string; matcher: Matcher<string> } | null = null;

/** One matcher for these storylines; rebuilt only when an id or query changed (queries compile through an LRU). */
export function matcherFor(storylines: Pick<StorylineRecord, "id" | "query">[]): Matcher<string> {
  const signature = JSON.stringify(storylines.map((s) => [s.id, s.query]));
  if (cached?.signature === signature) return cached.matcher;
  const entries: Array<{ key: string; query: CompiledQuery }> = [];
  for (const storyline of storylines) {
    try {
      entries.push({ key: storyline.id, query: compileQuery(storyline.query) });
    } catch (error) {
      // Queries are validated on write; a bad one in the table (edited by hand) must not stop the others.
      if (!(error instanceof QuerySyntaxError)) throw error;
      console.error(`storyline ${storyline.id}: query does not parse, skipped: ${error.message}`);
    }
  }
  const matcher = compileMatcher(entries);
  cached = { signature, matcher };
  return matcher;
}

/**
 * Which items each storyline matched, honouring each storyline's feed filter. A storyline whose
 * query spends its work budget on an item does not match that item; `overBudget` hears why.
 */
export function matchItems(
  storylines: MatchingStoryline[],
  items: StoredItem[],
  overBudget?: (storylineId: string, item: StoredItem, reason: string) => void,
): Map<string, StoredItem[]> {
  const matcher = matcherFor(storylines);
  const feedFilters = new Map(storylines.map((s) => [s.id, s.feeds ? new Set(s.feeds) : null]));
  const matched = new Map<string, StoredItem[]>();
  for (const item of items) {
    const doc = prepareItem(item);
    const accept = (id: string) => {
      const feeds = feedFilters.get(id);
      return !feeds || feeds.has(item.feedId);
    };
    const failed = overBudget ? (id: string, reason: string) => overBudget(id, item, reason) : undefined;
    for (const id of matcher.match(doc, accept, failed)) {
      const list = matched.get(id) ?? [];
      list.push(item);
      matched.set(id, list);
    }
  }
  return matched;
}

/** Sends a storyline its matched items, in chunks, through its Durable Object. */
async function ingest(env: Env, storyline: StorylineRecord, items: StoredItem[], runId: string | null) {
  const stub = env.STORYLINES.get(env.STORYLINES.idFromName(storyline.id));
  let developments = 0;
  for (let i = 0; i < items.length; i += INGEST_CHUNK) {
    const request: IngestRequest = { storyline, items: items.slice(i, i + INGEST_CHUNK), runId };
    const result: IngestResult = await stub.ingest(request);
    developments += result.developments;
  }
  return developments;
}

/** Item ids per detection message: a message stays far below the queue's 128 KB. */
export const DETECTION_BATCH = 100;
/** Queues take at most 100 messages per sendBatch. */
const SEND_BATCH_LIMIT = 100;

/**
 * Matches a feed's new and edited items against every active storyline allowed to see the
 * feed and queues, for each storyline that matched, one `detections` message per batch of
 * item ids. Then matching is done: the detector runs in the detections consumer, so a
 * storyline whose detector fails or is slow costs its own messages, never the feed's poll.
 * The messages are sent before the caller records the feed as checked; a crash in between
 * re-queues them on the poll's retry, which the detector absorbs (it skips items it has
 * already read with the same text).
 */
export async function dispatchItemBatch(env: Env, batch: ItemBatch): Promise<DetectionMessage[]> {
  if (batch.items.length === 0) return [];
  const storylines = await listMatchingStorylines(env.DB);
  if (storylines.length === 0) return [];
  const failures = new Map<string, string>();
  const matched = matchItems(storylines, batch.items, (id, item, reason) =>
    failures.set(id, `Matching failed on item ${item.id} (${item.url ?? item.title}): ${reason}`),
  );
  // The storyline's failure, in its own health; the feed and the other storylines go on.
  const now = new Date().toISOString();
  for (const [id, reason] of failures) await recordStorylineFailure(env.DB, id, reason, now);
  const byId = new Map(storylines.map((s) => [s.id, s]));
  const messages: DetectionMessage[] = [];
  for (const [id, items] of matched) {
    const storyline = byId.get(id) as MatchingStoryline;
    for (let i = 0; i < items.length; i += DETECTION_BATCH) {
      const slice = items.slice(i, i + DETECTION_BATCH);
      const itemIds = slice.map((item) => item.id);
      const revised = slice.filter((item) => item.revisedAt);
      messages.push({
        runId: batch.runId,
        feedId: batch.feedId,
        feedTitle: slice[0]?.feedTitle ?? null,
        storylineId: id,
        storylineCreatedAt: storyline.createdAt,
        itemIds,
        ...(revised.length > 0
          ? { revisedAt: Object.fromEntries(revised.map((item) => [item.id, item.revisedAt as string])) }
          : {}),
        key: `${id}:${(await sha256Hex(itemIds.join(","))).slice(0, 32)}`,
      });
    }
  }
  for (let i = 0; i < messages.length; i += SEND_BATCH_LIMIT) {
    await env.DETECTIONS.sendBatch(
      messages.slice(i, i + SEND_BATCH_LIMIT).map((body) => ({ body, contentType: "json" as const })),
    );
  }
  return messages;
}

/**
 * The stored items a storyline's baseline is built from: the newest BACKFILL_LIMIT within its
 * feeds that its query matches, oldest first, as the detector reads them.
 */
export async function baselineItems(
  db: D1Database,
  storyline: Pick<StorylineRecord, "query" | "feeds">,
): Promise<StoredItem[]> {
  const items = await recentItems(db, {
    limit: BACKFILL_LIMIT,
    feeds: storyline.feeds,
    maxContentChars: MAX_CONTENT_CHARS,
  });
  const matcher = compileMatcher([{ key: 0, query: storyline.query }]);
  return items.filter((item) => matcher.match(prepareItem(item)).length > 0);
}

/**
 * Builds a new (or re-queried) storyline's baseline: matches it against the most recent
 * stored items (not pruned, newest BACKFILL_LIMIT, within its feeds) and hands the matches,
 * oldest first and all marked baseline, to its detector. So a storyline created today starts
 * with the status the last days' coverage supports, and never alerts on old news.
 */
export async function backfillStoryline(
  env: Env,
  storyline: StorylineRecord,
): Promise<{ matched: number; developments: number }> {
  if (!storyline.active) return { matched: 0, developments: 0 };
  const matched = await baselineItems(env.DB, storyline);
  if (matched.length === 0) return { matched: 0, developments: 0 };
  return { matched: matched.length, developments: await ingest(env, storyline, matched, null) };
}

/**
 * Starts a storyline over when its kind changed (events and agreements have different
 * statuses): the detector forgets its state, status and facts are cleared, and the stored
 * items build a new silent baseline. Past developments stay as its history.
 */
export async function restartStoryline(
  env: Env,
  storyline: StorylineRecord,
): Promise<{ matched: number; developments: number }> {
  await env.STORYLINES.get(env.STORYLINES.idFromName(storyline.id)).reset(storyline.id);
  await clearStorylineStatus(env.DB, storyline.id);
  return backfillStoryline(env, { ...storyline, status: null, facts: {} });
}
