/**
 * D1 access for `feeds`: CRUD and health. Leases and each check's schedule live in the
 * scheduler object (src/store/scheduler-storage.ts), which reads these rows under its own.
 */
import { z } from "@hono/zod-openapi";

export interface FeedRow {
  id: string;
  url: string;
  title: string | null;
  site_url: string | null;
  created_at: string;
  first_checked_at: string | null;
  last_checked_at: string | null;
  last_status: string | null;
  last_http_status: number | null;
  last_error: string | null;
  failing_since: string | null;
  consecutive_failures: number;
  next_check_at: string;
  check_interval_s: number | null;
  body_hash: string | null;
  items_seen: number;
  /** Every item written at or before this time has been handed to matching. */
  dispatched_through: string | null;
  /** config: declared in storylines.json. */
  source: "api" | "config";
  paused_at: string | null;
  /** The user's own check interval; null adapts to the feed. */
  poll_interval_s: number | null;
  /** The publisher's floor at the last check (max-age, <ttl>, Retry-After). */
  hint_floor_s: number | null;
  /** Where permanent redirects led at the last successful check, and on how many checks in a row. */
  redirect_url: string | null;
  redirect_checks: number;
  /** JSON: fingerprint of each settled item of the last parsed body → its stored publication time. */
  items_digest: string | null;
}

/** A feed as the API shows it (DESIGN.md field names): the one schema, which the API documents and the type derives from. */
export const FeedSchema = z
  .object({
    id: z.string().openapi({ example: "feed_k3j5n2p7q9r4s6t8" }),
    url: z.string(),
    title: z.string().nullable(),
    site_url: z.string().nullable(),
    created_at: z.string(),
    last_checked_at: z.string().nullable(),
    last_status: z.string().nullable().openapi({
      description:
        "ok, not_modified (304), unchanged (same body), or why the last check failed: timeout, too_large, http_404, http_503, refused, redirect_loop, not_a_feed, …",
    }),
    last_error: z.string().nullable(),
    next_check_at: z.string(),
    items_seen: z.number().int(),
    consecutive_failures: z.number().int(),
    failing_since: z.string().nullable(),
    source: z.enum(["api", "config"]).openapi({ description: "config: declared in storylines.json" }),
    paused_at: z.string().nullable().openapi({ description: "set while the feed is paused (never checked)" }),
    poll_interval_minutes: z
      .number()
      .int()
      .nullable()
      .openapi({ description: "the feed's own check interval; null adapts to how often it publishes" }),
  })
  .openapi("Feed");

export type FeedJson = z.infer<typeof FeedSchema>;

export function feedJson(row: FeedRow): FeedJson {
  return {
    id: row.id,
    url: row.url,
    title: row.title,
    site_url: row.site_url,
    created_at: row.created_at,
    last_checked_at: row.last_checked_at,
    last_status: row.last_status,
    last_error: row.last_error,
    next_check_at: row.next_check_at,
    items_seen: row.items_seen,
    consecutive_failures: row.consecutive_failures,
    failing_since: row.failing_since,
    source: row.source,
    paused_at: row.paused_at,
    poll_interval_minutes: row.poll_interval_s === null ? null : Math.round(row.poll_interval_s / 60),
  };
}

/** Inserts a feed unless its URL is taken; returns null on a duplicate URL. */
export async function insertFeed(
  db: D1Database,
  feed: { id: string; url: string; title: string | null; now: string; pollIntervalS?: number | null },
): Promise<FeedRow | null> {
  return db
    .prepare(
      `INSERT INTO feeds (id, url, title, created_at, next_check_at, poll_interval_s) VALUES (?1, ?2, ?3, ?4, ?4, ?5)
       ON CONFLICT (url) DO NOTHING RETURNING *`,
    )
    .bind(feed.id, feed.url, feed.title, feed.now, feed.pollIntervalS ?? null)
    .first<FeedRow>();
}

export function getFeed(db: D1Database, id: string): Promise<FeedRow | null> {
  return db.prepare("SELECT * FROM feeds WHERE id = ?").bind(id).first<FeedRow>();
}

export function getFeedByUrl(db: D1Database, url: string): Promise<FeedRow | null> {
  return db.prepare("SELECT * FROM feeds WHERE url = ?").bind(url).first<FeedRow>();
}

export async function listFeeds(db: D1Database): Promise<FeedRow[]> {
  const { results } = await db.prepare("SELECT * FROM feeds ORDER BY created_at DESC, id DESC").all<FeedRow>();
  return results;
}

/** Whether any feed exists: one row read, not the whole table (the console's first-run hint). */
export async function hasFeeds(db: D1Database): Promise<boolean> {
  return (await db.prepare("SELECT 1 AS one FROM feeds LIMIT 1").first<{ one: number }>()) !== null;
}

/** Deletes a feed and its items; returns false when there was none. */
export async function deleteFeed(db: D1Database, id: string): Promise<boolean> {
  const [, deleted] = await db.batch([
    db.prepare("DELETE FROM items WHERE feed_id = ?").bind(id),
    db.prepare("DELETE FROM feeds WHERE id = ?").bind(id),
  ]);
  return (deleted?.meta.changes ?? 0) > 0;
}

export interface CheckOutcome {
  feedId: string;
  runId: string;
  now: string;
  /** ok | not_modified | unchanged | an error class such as http_404, timeout, too_large. */
  status: string;
  httpStatus: number | null;
  error: string | null;
  nextCheckAt: string;
  intervalSeconds: number;
  /** The publisher's floor this check saw (max-age, <ttl>, Retry-After), null for none. */
  hintFloorSeconds?: number | null;
  /** Set only when a new body was parsed. */
  bodyHash?: string;
  title?: string | null;
  siteUrl?: string | null;
  itemsNew?: number;
  /** Set when this check handed items to matching: all items written so far are taken. */
  dispatchedThrough?: string;
  /** Set only when a new body was parsed: its items, all settled once this outcome is committed. */
  itemsDigest?: string;
  /** Items seen before this check (the scheduler object may hold a later count than the row). */
  itemsSeen?: number;
}

/** Checks in a row that must see the same permanent redirect before the feed's URL follows it. */
export const REDIRECT_CHECKS_TO_MOVE = 3;

/**
 * What a successful check saw of permanent redirects (null: none), as statements to run before
 * recordSuccessStatement. The same target on
 * REDIRECT_CHECKS_TO_MOVE checks in a row moves the feed to it, logged in its history; a
 * target another feed already watches is not followed, and that is logged instead.
 */
export function recordRedirectStatements(
  db: D1Database,
  check: {
    feedId: string;
    runId: string;
    now: string;
    from: string;
    target: string | null;
    checks: number;
    /** What the feed's row holds now; the statement is left out when it would write the same. */
    previous?: { url: string | null; checks: number };
  },
): D1PreparedStatement[] {
  const { feedId, runId, now, from, target, checks, previous } = check;
  if (target === null || checks < REDIRECT_CHECKS_TO_MOVE) {
    // Nothing to record when this check saw what the row already says (no redirect, as usual).
    const stored = target === null ? 0 : checks;
    if (previous && previous.url === target && previous.checks === stored) return [];
    return [
      db
        .prepare("UPDATE feeds SET redirect_url = ?2, redirect_checks = ?3 WHERE id = ?1")
        .bind(feedId, target, target === null ? 0 : checks),
    ];
  }
  const seen = `permanent redirects on ${checks} checks in a row`;
  return [
    db
      .prepare(
        `INSERT INTO feed_history (feed_id, at, event, detail)
         SELECT ?1, ?3, 'redirect_not_followed', ?4 || (SELECT id FROM feeds WHERE url = ?5) || '; the URL stays ' || ?6
         WHERE EXISTS (SELECT 1 FROM feeds WHERE url = ?5 AND id <> ?1)`,
      )
      .bind(feedId, runId, now, `${seen} lead to ${target}, which another feed already watches: `, target, from),
    db
      .prepare(
        `INSERT INTO feed_history (feed_id, at, event, detail)
         SELECT ?1, ?3, 'url_changed', ?4
         WHERE NOT EXISTS (SELECT 1 FROM feeds WHERE url = ?5)`,
      )
      .bind(feedId, runId, now, `${from} → ${target} (${seen}, RFC 9110 §15.4.2)`, target),
    db
      .prepare(
        `UPDATE feeds SET url = CASE WHEN EXISTS (SELECT 1 FROM feeds WHERE url = ?3) THEN url ELSE ?3 END,
           redirect_url = NULL, redirect_checks = 0
         WHERE id = ?1`,
      )
      .bind(feedId, runId, target),
  ];
}

export interface FeedHistoryEntry {
  at: string;
  event: "url_changed" | "redirect_not_followed";
  detail: string;
}

/** A feed's history, newest first. */
export async function listFeedHistory(db: D1Database, feedId: string, limit = 50): Promise<FeedHistoryEntry[]> {
  const { results } = await db
    .prepare("SELECT at, event, detail FROM feed_history WHERE feed_id = ? ORDER BY at DESC, id DESC LIMIT ?")
    .bind(feedId, limit)
    .all<FeedHistoryEntry>();
  return results;
}

/**
 * Health after a successful check (the poller writes it only when something D1 keeps changed:
 * the scheduler object keeps every check's time, status and next check, and what a check with
 * news changes; this row then gets them too). The scheduler object confirmed the run's lease
 * when the check began.
 */
export function recordSuccessStatement(db: D1Database, outcome: CheckOutcome): D1PreparedStatement {
  return db
    .prepare(
      `UPDATE feeds SET
         last_checked_at = ?2, first_checked_at = COALESCE(first_checked_at, ?2),
         last_status = ?3, last_http_status = ?4, last_error = NULL,
         failing_since = NULL, consecutive_failures = 0,
         next_check_at = ?5, check_interval_s = ?6,
         body_hash = COALESCE(?7, body_hash),
         title = COALESCE(title, ?8), site_url = COALESCE(?9, site_url),
         items_seen = COALESCE(?15, items_seen) + ?10,
         dispatched_through = COALESCE(?12, dispatched_through), hint_floor_s = ?13,
         items_digest = COALESCE(?14, items_digest)
       WHERE id = ?1`,
    )
    .bind(
      outcome.feedId,
      outcome.now,
      outcome.status,
      outcome.httpStatus,
      outcome.nextCheckAt,
      outcome.intervalSeconds,
      outcome.bodyHash ?? null,
      outcome.title ?? null,
      outcome.siteUrl ?? null,
      outcome.itemsNew ?? 0,
      outcome.runId,
      outcome.dispatchedThrough ?? null,
      outcome.hintFloorSeconds ?? null,
      outcome.itemsDigest ?? null,
      outcome.itemsSeen ?? null,
    );
}

/** Health after a failed check; the feed stays scheduled (never dropped). */
export function recordFailureStatement(db: D1Database, outcome: CheckOutcome): D1PreparedStatement {
  return db
    .prepare(
      `UPDATE feeds SET
         last_checked_at = ?2, last_status = ?3, last_http_status = ?4, last_error = ?5,
         failing_since = COALESCE(failing_since, ?2), consecutive_failures = consecutive_failures + 1,
         next_check_at = ?6, check_interval_s = ?7, hint_floor_s = ?9
       WHERE id = ?1`,
    )
    .bind(
      outcome.feedId,
      outcome.now,
      outcome.status,
      outcome.httpStatus,
      outcome.error,
      outcome.nextCheckAt,
      outcome.intervalSeconds,
      outcome.runId,
      outcome.hintFloorSeconds ?? null,
    );
}

/** A feed a hot storyline may hurry, with the schedule D1 holds for it (the scheduler object may hold a newer one). */
export type HurryCandidate = Pick<
  FeedRow,
  "id" | "last_checked_at" | "last_status" | "last_http_status" | "next_check_at" | "check_interval_s" | "hint_floor_s"
>;

/**
 * The feeds of hot storylines that may be brought forward: checked before, not paused, not
 * failing (failing feeds keep their backoff). `feedIds` null means every feed.
 */
export async function listHurryCandidates(db: D1Database, feedIds: string[] | null): Promise<HurryCandidate[]> {
  const { results } = await db
    .prepare(
      `SELECT id, last_checked_at, last_status, last_http_status, next_check_at, check_interval_s, hint_floor_s
       FROM feeds
       WHERE last_checked_at IS NOT NULL AND paused_at IS NULL AND consecutive_failures = 0
         AND (?1 IS NULL OR id IN (SELECT value FROM json_each(?1)))`,
    )
    .bind(feedIds === null ? null : JSON.stringify(feedIds))
    .all<HurryCandidate>();
  return results;
}

/** The feeds the scheduler may take (not paused), in the order they were added, with D1's schedule of each. */
export async function listSchedulableFeeds(
  db: D1Database,
): Promise<Array<{ id: string; next_check_at: string; last_checked_at: string | null }>> {
  const { results } = await db
    .prepare("SELECT id, next_check_at, last_checked_at FROM feeds WHERE paused_at IS NULL ORDER BY rowid")
    .all<{ id: string; next_check_at: string; last_checked_at: string | null }>();
  return results;
}

/**
 * Makes a feed declared in storylines.json exist, marked source "config" and not paused.
 * True when this created or claimed it; a feed already declared and running is left alone.
 */
export async function upsertConfiguredFeed(
  db: D1Database,
  feed: { id: string; url: string; title: string | null; now: string },
): Promise<boolean> {
  const row = await db
    .prepare(
      `INSERT INTO feeds (id, url, title, created_at, next_check_at, source) VALUES (?1, ?2, ?3, ?4, ?4, 'config')
       ON CONFLICT (url) DO UPDATE SET source = 'config', paused_at = NULL
         WHERE source <> 'config' OR paused_at IS NOT NULL
       RETURNING id`,
    )
    .bind(feed.id, feed.url, feed.title, feed.now)
    .first<{ id: string }>();
  return row !== null;
}

/**
 * Feeds once declared in storylines.json and no longer there: paused and handed to the API
 * (source "api"), so the user may resume or delete them. Nothing brings them back but the file.
 */
export async function pauseUndeclaredFeeds(db: D1Database, declaredUrls: string[], now: string): Promise<string[]> {
  const { results } = await db
    .prepare(
      `UPDATE feeds SET paused_at = ?1, source = 'api'
       WHERE source = 'config' AND url NOT IN (SELECT value FROM json_each(?2)) RETURNING id`,
    )
    .bind(now, JSON.stringify(declaredUrls))
    .all<{ id: string }>();
  return results.map((r) => r.id);
}

/** Pauses or resumes a feed and sets its title and interval (undefined leaves a field as it is). */
export function updateFeed(
  db: D1Database,
  id: string,
  patch: { title?: string | null; pausedAt?: string | null; pollIntervalS?: number | null; now: string },
): Promise<FeedRow | null> {
  return db
    .prepare(
      `UPDATE feeds SET
         title = CASE WHEN ?2 THEN ?3 ELSE title END,
         paused_at = CASE WHEN ?4 THEN ?5 ELSE paused_at END,
         poll_interval_s = CASE WHEN ?6 THEN ?7 ELSE poll_interval_s END,
         next_check_at = CASE WHEN ?4 AND ?5 IS NULL AND paused_at IS NOT NULL THEN ?8 ELSE next_check_at END
       WHERE id = ?1 RETURNING *`,
    )
    .bind(
      id,
      patch.title !== undefined ? 1 : 0,
      patch.title ?? null,
      patch.pausedAt !== undefined ? 1 : 0,
      patch.pausedAt ?? null,
      patch.pollIntervalS !== undefined ? 1 : 0,
      patch.pollIntervalS ?? null,
      patch.now,
    )
    .first<FeedRow>();
}
