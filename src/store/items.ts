import type { StoredItem } from "../contracts";
import type { NormalisedItem } from "../feeds/normalise";
import { randomId } from "../lib/ids";

/** D1 access for `items`: identity-aware writes, the API read, and retention. */

/** D1 allows 100 bound parameters per statement. */
const MAX_PARAMS = 100;
/** Statements per db.batch() call (one transaction, one round trip). */
const STATEMENTS_PER_BATCH = 50;

export const newItemId = (): string => randomId("itm_", 16);

export interface KnownItem {
  id: string;
  contentHash: string;
  pruned: boolean;
  firstSeenAt: string;
  updatedAt: string;
  publishedAt: string | null;
  baseline: boolean;
}

/** What we already hold for the items of a feed with these keys. */
export async function knownItems(db: D1Database, feedId: string, keys: string[]): Promise<Map<string, KnownItem>> {
  const known = new Map<string, KnownItem>();
  const chunk = MAX_PARAMS - 1;
  const statements: D1PreparedStatement[] = [];
  for (let i = 0; i < keys.length; i += chunk) {
    const slice = keys.slice(i, i + chunk);
    statements.push(
      db
        .prepare(
          `SELECT id, item_key, content_hash, pruned_at, first_seen_at, updated_at, published_at, baseline
           FROM items WHERE feed_id = ? AND item_key IN (${slice.map(() => "?").join(",")})`,
        )
        .bind(feedId, ...slice),
    );
  }
  if (statements.length === 0) return known;
  const results = await db.batch<{
    id: string;
    item_key: string;
    content_hash: string;
    pruned_at: string | null;
    first_seen_at: string;
    updated_at: string;
    published_at: string | null;
    baseline: number;
  }>(statements);
  for (const result of results) {
    for (const row of result.results) {
      known.set(row.item_key, {
        id: row.id,
        contentHash: row.content_hash,
        pruned: row.pruned_at !== null,
        firstSeenAt: row.first_seen_at,
        updatedAt: row.updated_at,
        publishedAt: row.published_at,
        baseline: row.baseline === 1,
      });
    }
  }
  return known;
}

/** When an edit was made, as the feed states it: its revision time, or a publication time moved on. */
function revisionTime(item: NormalisedItem | undefined, storedPublishedAt: string | null): string | null {
  if (!item) return null;
  if (item.revisedAt) return item.revisedAt;
  return storedPublishedAt && item.publishedAt > storedPublishedAt ? item.publishedAt : null;
}

export interface WriteContext {
  feedId: string;
  feedTitle: string | null;
  now: string;
  baseline: boolean;
}

/**
 * Writes new and edited items. INSERT … ON CONFLICT (feed_id, item_key) DO UPDATE only when the
 * content hash changed (and the text was not pruned), so a retried poll or an overlapping one
 * inserts nothing twice; RETURNING tells a new row (our id) from an edited one (its old id).
 */
export async function writeItems(
  db: D1Database,
  items: NormalisedItem[],
  context: WriteContext,
): Promise<StoredItem[]> {
  const stored: StoredItem[] = [];
  for (let i = 0; i < items.length; i += STATEMENTS_PER_BATCH) {
    const slice = items.slice(i, i + STATEMENTS_PER_BATCH);
    const proposed = slice.map(() => newItemId());
    const statements = slice.map((item, index) =>
      db
        .prepare(
          `INSERT INTO items (id, feed_id, item_key, guid, url, title, summary, content, author,
                              published_at, first_seen_at, updated_at, content_hash, baseline)
           VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?11, ?12, ?13)
           ON CONFLICT (feed_id, item_key) DO UPDATE SET
             guid = excluded.guid, url = excluded.url, title = excluded.title, summary = excluded.summary,
             content = excluded.content, author = excluded.author, updated_at = excluded.updated_at,
             content_hash = excluded.content_hash
           WHERE items.content_hash <> excluded.content_hash AND items.pruned_at IS NULL
           RETURNING id, url, title, summary, content, author, published_at, first_seen_at, baseline`,
        )
        .bind(
          proposed[index],
          context.feedId,
          item.key,
          item.guid,
          item.url,
          item.title,
          item.summary,
          item.content,
          item.author,
          item.publishedAt,
          context.now,
          item.contentHash,
          context.baseline ? 1 : 0,
        ),
    );
    const results = await db.batch<{
      id: string;
      url: string | null;
      title: string | null;
      summary: string | null;
      content: string | null;
      author: string | null;
      published_at: string | null;
      first_seen_at: string;
      baseline: number;
    }>(statements);
    results.forEach((result, index) => {
      const row = result.results[0];
      if (!row) return; // unchanged: the conflict's WHERE was false
      const edited = row.id !== proposed[index];
      stored.push({
        ...toStoredItem({ ...row, feed_id: context.feedId, feed_title: context.feedTitle }, edited),
        revisedAt: edited ? revisionTime(slice[index], row.published_at) : null,
      });
    });
  }
  return stored;
}

export interface ItemJson {
  id: string;
  title: string | null;
  url: string | null;
  published_at: string | null;
  summary: string | null;
  first_seen_at: string;
  updated_at: string;
}

/** A feed's items, newest first (by publication, then first sight), with a keyset cursor. */
export async function listItems(
  db: D1Database,
  feedId: string,
  options: { limit: number; before?: { publishedAt: string; id: string } | null },
): Promise<ItemJson[]> {
  const before = options.before;
  const { results } = await db
    .prepare(
      `SELECT id, title, url, published_at, summary, first_seen_at, updated_at FROM items
       WHERE feed_id = ?1 AND (?2 IS NULL OR (published_at, id) < (?2, ?3))
       ORDER BY published_at DESC, id DESC LIMIT ?4`,
    )
    .bind(feedId, before?.publishedAt ?? null, before?.id ?? null, options.limit)
    .all<ItemJson>();
  return results;
}

/**
 * Retention: drops the text of items first seen before `cutoff`, keeping the identity row
 * (feed_id, item_key, content_hash) so an old item still in a feed is never taken as new.
 * Bounded per call so one cron invocation stays inside its limits.
 */
export async function pruneItemText(db: D1Database, cutoff: string, now: string, limit = 5_000): Promise<number> {
  const result = await db
    .prepare(
      `UPDATE items SET title = NULL, summary = NULL, content = NULL, author = NULL, pruned_at = ?2
       WHERE id IN (SELECT id FROM items WHERE pruned_at IS NULL AND first_seen_at < ?1 LIMIT ?3)`,
    )
    .bind(cutoff, now, limit)
    .run();
  return result.meta.changes ?? 0;
}

/** An item row with its feed's title, as the pipeline reads it back. */
interface PipelineItemRow {
  id: string;
  feed_id: string;
  feed_title: string | null;
  url: string | null;
  title: string | null;
  summary: string | null;
  content: string | null;
  author: string | null;
  published_at: string | null;
  first_seen_at: string;
  updated_at: string;
  baseline: number;
}

const PIPELINE_ITEM_COLUMNS = `i.id, i.feed_id, f.title AS feed_title, i.url, i.title, i.summary, i.author,
  i.published_at, i.first_seen_at, i.updated_at, i.baseline`;

/** A pipeline row as the stages pass it on; `updated` defaults to "edited after first seen". */
function toStoredItem(
  row: Omit<PipelineItemRow, "updated_at"> & { updated_at?: string },
  updated = row.updated_at !== undefined && row.updated_at !== row.first_seen_at,
): StoredItem {
  return {
    id: row.id,
    feedId: row.feed_id,
    feedTitle: row.feed_title,
    url: row.url,
    title: row.title ?? "",
    summary: row.summary ?? "",
    content: row.content ?? "",
    author: row.author,
    publishedAt: row.published_at ?? row.first_seen_at,
    firstSeenAt: row.first_seen_at,
    baseline: row.baseline === 1,
    updated,
  };
}

/**
 * Stored items by id, in the order asked, for the detector: text as stored, the feed's title
 * as its outlet. Pruned and deleted items are left out (there is no text left to read).
 */
export async function itemsForDetection(db: D1Database, ids: string[]): Promise<StoredItem[]> {
  const statements: D1PreparedStatement[] = [];
  for (let i = 0; i < ids.length; i += MAX_PARAMS) {
    const slice = ids.slice(i, i + MAX_PARAMS);
    statements.push(
      db
        .prepare(
          `SELECT ${PIPELINE_ITEM_COLUMNS}, i.content FROM items i JOIN feeds f ON f.id = i.feed_id
           WHERE i.pruned_at IS NULL AND i.id IN (${slice.map(() => "?").join(",")})`,
        )
        .bind(...slice),
    );
  }
  if (statements.length === 0) return [];
  const results = await db.batch<PipelineItemRow>(statements);
  const byId = new Map(results.flatMap((result) => result.results.map((row) => [row.id, toStoredItem(row)] as const)));
  return ids.flatMap((id) => byId.get(id) ?? []);
}

/**
 * The most recent stored items (not pruned), oldest first, within `feeds` (null: all), with
 * their text cut at `maxContentChars`, all baseline: what a new or re-queried storyline's
 * baseline is built from.
 */
export async function recentItems(
  db: D1Database,
  options: { limit: number; feeds: string[] | null; maxContentChars: number },
): Promise<StoredItem[]> {
  const feedFilter = options.feeds ? "AND i.feed_id IN (SELECT value FROM json_each(?3))" : "";
  const statement = db.prepare(
    `SELECT ${PIPELINE_ITEM_COLUMNS}, substr(i.content, 1, ?2) AS content FROM items i JOIN feeds f ON f.id = i.feed_id
     WHERE i.pruned_at IS NULL ${feedFilter}
     ORDER BY i.first_seen_at DESC, i.id DESC LIMIT ?1`,
  );
  const { results } = await (options.feeds
    ? statement.bind(options.limit, options.maxContentChars, JSON.stringify(options.feeds))
    : statement.bind(options.limit, options.maxContentChars)
  ).all<PipelineItemRow>();
  return results.map((row) => ({ ...toStoredItem(row, false), baseline: true })).reverse();
}
