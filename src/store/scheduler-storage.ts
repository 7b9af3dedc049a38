/**
 * The scheduler object's own SQLite (src/feeds/scheduler-object.ts): the leases runs hold on
 * feeds, each run's per-feed bookkeeping, and each feed's schedule as its last check left it.
 * These change on every check, so they live here, not in D1: an unchanged check then writes
 * no D1 row for them (D1 bills every row, and every index entry, a check writes).
 */

const SCHEMA = `
CREATE TABLE IF NOT EXISTS runs (
  run_id TEXT PRIMARY KEY,
  started_at TEXT NOT NULL,
  lease_until TEXT NOT NULL,
  -- 0 once every feed is finished or the run has ended (failed, swept): it holds no lease then.
  open INTEGER NOT NULL DEFAULT 1,
  -- Its counts, kept with each batch of finished feeds (one row written per batch, none per feed).
  feeds_total INTEGER NOT NULL DEFAULT 0,
  checked INTEGER NOT NULL DEFAULT 0,
  failed INTEGER NOT NULL DEFAULT 0,
  items_new INTEGER NOT NULL DEFAULT 0,
  last_finished_at TEXT
) WITHOUT ROWID;
-- The open runs, few among the kept many: a lease check walks these, not every run's feeds.
CREATE INDEX IF NOT EXISTS runs_open ON runs (started_at) WHERE open = 1;
CREATE TABLE IF NOT EXISTS run_feeds (
  run_id TEXT NOT NULL,
  feed_id TEXT NOT NULL,
  state TEXT NOT NULL DEFAULT 'queued',
  items_new INTEGER NOT NULL DEFAULT 0,
  finished_at TEXT,
  PRIMARY KEY (run_id, feed_id)
) WITHOUT ROWID;
CREATE TABLE IF NOT EXISTS schedule (
  feed_id TEXT PRIMARY KEY,
  last_checked_at TEXT NOT NULL,
  last_status TEXT,
  last_http_status INTEGER,
  next_check_at TEXT NOT NULL,
  check_interval_s INTEGER
) WITHOUT ROWID;
`;

/**
 * What a check reads of the feed's last parsed body and writes with news, beside its schedule:
 * kept here too, so a check with news writes no feed row to D1 unless the feed's health changed
 * (added to a schedule table created before them; NULL means "as D1 has it").
 */
const CHECK_STATE_COLUMNS = {
  body_hash: "TEXT",
  items_digest: "TEXT",
  items_seen: "INTEGER",
  dispatched_through: "TEXT",
} as const;

export function createSchedulerSchema(storage: DurableObjectStorage): void {
  storage.sql.exec(SCHEMA);
  const present = new Set(
    storage.sql
      .exec<{ name: string }>("SELECT name FROM pragma_table_info('schedule')")
      .toArray()
      .map((c) => c.name),
  );
  for (const [column, type] of Object.entries(CHECK_STATE_COLUMNS)) {
    if (!present.has(column)) storage.sql.exec(`ALTER TABLE schedule ADD COLUMN ${column} ${type}`);
  }
}

/**
 * What the last check of a feed left (the fields a check changes every time), and the state of
 * its last parsed body (null: as D1 has it; items_digest is read only for a check).
 */
// A type, not an interface: SQLite rows are records (an interface has no index signature).
export type FeedSchedule = {
  feed_id: string;
  last_checked_at: string;
  last_status: string | null;
  last_http_status: number | null;
  next_check_at: string;
  check_interval_s: number | null;
  body_hash?: string | null;
  items_digest?: string | null;
  items_seen?: number | null;
  dispatched_through?: string | null;
};

/** Every column but the items digest (a few KB a feed, needed only by the feed's own check). */
const SHOWN = `feed_id, last_checked_at, last_status, last_http_status, next_check_at, check_interval_s,
  body_hash, NULL AS items_digest, items_seen, dispatched_through`;

/** A feed as D1 knows it, for the tick: its schedule as of D1's last write of it. */
export interface ScheduleCandidate {
  id: string;
  next_check_at: string;
  last_checked_at: string | null;
}

/** A run's counts over its feeds, as this object keeps them. */
export interface RunTotals {
  runId: string;
  feedsTotal: number;
  checked: number;
  failed: number;
  /** Feeds not yet finished. */
  waiting: number;
  itemsNew: number;
  /** When its last finished feed finished; null when none has. */
  lastFinishedAt: string | null;
}

/** One feed of a run, done, with the schedule its check set. */
export interface FeedFinish {
  feedId: string;
  state: "checked" | "failed";
  itemsNew: number;
  /** When its poll ended. */
  now: string;
  /** The schedule the check set; null when it checked nothing (a skipped message). */
  schedule?: FeedSchedule | null;
}

/** Feeds' schedules (all of them for null); with `forCheck`, the items digest too. */
export function readSchedules(
  storage: DurableObjectStorage,
  feedIds: string[] | null,
  forCheck = false,
): FeedSchedule[] {
  const sql = storage.sql;
  const columns = forCheck ? "*" : SHOWN;
  if (feedIds === null) return sql.exec<FeedSchedule>(`SELECT ${columns} FROM schedule`).toArray();
  const found: FeedSchedule[] = [];
  for (const id of feedIds) {
    const row = sql.exec<FeedSchedule>(`SELECT ${columns} FROM schedule WHERE feed_id = ?`, id).toArray()[0];
    if (row) found.push(row);
  }
  return found;
}

/**
 * Whether the object's record of a feed's last check holds over D1's: it does unless D1 saw a
 * later check (D1 writes a feed's row only when its health changes).
 */
export function objectCheckHolds(objectCheckedAt: string, d1CheckedAt: string | null): boolean {
  return d1CheckedAt === null || objectCheckedAt >= d1CheckedAt;
}

/**
 * The schedule that holds for a feed: this object's, unless D1 holds a later check (a write
 * here lost after D1's) or there is none here.
 */
export function effectiveSchedule(
  storage: DurableObjectStorage,
  candidate: ScheduleCandidate,
): { next_check_at: string; fromObject: boolean } {
  const row = storage.sql
    .exec<{ next_check_at: string; last_checked_at: string }>(
      "SELECT next_check_at, last_checked_at FROM schedule WHERE feed_id = ?",
      candidate.id,
    )
    .toArray()[0];
  if (row && objectCheckHolds(row.last_checked_at, candidate.last_checked_at))
    return { next_check_at: row.next_check_at, fromObject: true };
  return { next_check_at: candidate.next_check_at, fromObject: false };
}

/** What a run asks to take: the candidates D1 lists (not paused), in the order they were added. */
export interface TakeRequest {
  runId: string;
  now: string;
  leaseUntil: string;
  dueOnly: boolean;
  limit: number;
  candidates: ScheduleCandidate[];
  /** Record the run even when it takes nothing (a manual run). */
  keepEmpty: boolean;
}

/**
 * SQL: the feed ?1 is queued in an open run other than ?2 whose lease is unexpired at ?3. The
 * open runs are walked first (CROSS JOIN keeps that order), each then one key lookup.
 */
const HELD_ELSEWHERE = `EXISTS (SELECT 1 FROM runs r CROSS JOIN run_feeds rf ON rf.run_id = r.run_id AND rf.feed_id = ?1
  WHERE r.open = 1 AND rf.state = 'queued' AND r.run_id <> ?2 AND r.lease_until > ?3)`;

/**
 * Leases the feeds run `runId` takes: every candidate (not paused: D1 filters those) that is
 * due at `now` by the schedule that holds (or every one, for a manual run) and is not queued
 * in another open run whose lease is unexpired; the earliest due first, at most `limit`, and
 * given back in the order D1 listed them (the order they were added). One transaction: the
 * object runs one call at a time, so two overlapping ticks can never take the same feed.
 * Records nothing when nothing is taken and `keepEmpty` is false (a cron tick with nothing due).
 */
export function takeFeeds(storage: DurableObjectStorage, take: TakeRequest): string[] {
  return storage.transactionSync(() => {
    const sql = storage.sql;
    const due: Array<{ id: string; next: string; order: number }> = [];
    for (const [order, candidate] of take.candidates.entries()) {
      const { next_check_at } = effectiveSchedule(storage, candidate);
      if (take.dueOnly && next_check_at > take.now) continue;
      if (sql.exec(`SELECT ${HELD_ELSEWHERE} AS held`, candidate.id, take.runId, take.now).one().held) continue;
      due.push({ id: candidate.id, next: next_check_at, order });
    }
    const taken = due
      .sort((a, b) => a.next.localeCompare(b.next) || a.order - b.order)
      .slice(0, take.limit)
      .sort((a, b) => a.order - b.order)
      .map((d) => d.id);
    if (taken.length === 0 && !take.keepEmpty) return [];
    sql.exec(
      "INSERT INTO runs (run_id, started_at, lease_until, feeds_total, open) VALUES (?, ?, ?, ?, ?)",
      take.runId,
      take.now,
      take.leaseUntil,
      taken.length,
      taken.length > 0 ? 1 : 0,
    );
    for (const feedId of taken) sql.exec("INSERT INTO run_feeds (run_id, feed_id) VALUES (?, ?)", take.runId, feedId);
    return taken;
  });
}

/**
 * Whether run `runId` still holds feed `feedId`: the run is open, still waits for this feed,
 * and no later open run has taken the feed since (which it may once this run's lease expired).
 */
export function holdsLease(storage: DurableObjectStorage, runId: string, feedId: string): boolean {
  const row = storage.sql
    .exec(
      `SELECT 1 AS held FROM run_feeds rf JOIN runs r ON r.run_id = rf.run_id
       WHERE rf.run_id = ?2 AND rf.feed_id = ?1 AND rf.state = 'queued' AND r.open = 1
         AND NOT EXISTS (SELECT 1 FROM runs later CROSS JOIN run_feeds o ON o.run_id = later.run_id AND o.feed_id = ?1
           WHERE later.open = 1 AND o.state = 'queued' AND later.run_id <> ?2 AND later.started_at > r.started_at)`,
      feedId,
      runId,
    )
    .toArray()[0];
  return row !== undefined;
}

export function runTotals(storage: DurableObjectStorage, runId: string): RunTotals | null {
  const row = storage.sql
    .exec<{ feeds_total: number; checked: number; failed: number; items_new: number; last_finished_at: string | null }>(
      "SELECT feeds_total, checked, failed, items_new, last_finished_at FROM runs WHERE run_id = ?",
      runId,
    )
    .toArray()[0];
  if (!row) return null;
  return {
    runId,
    feedsTotal: row.feeds_total,
    checked: row.checked,
    failed: row.failed,
    waiting: row.feeds_total - row.checked - row.failed,
    itemsNew: row.items_new,
    lastFinishedAt: row.last_finished_at,
  };
}

/** Adds finished feeds to a run's counts in one write; a run with every feed finished holds no lease. */
function countFinished(
  storage: DurableObjectStorage,
  runId: string,
  added: { checked: number; failed: number; itemsNew: number; lastFinishedAt: string | null },
): void {
  if (added.checked + added.failed === 0) return;
  storage.sql.exec(
    `UPDATE runs SET checked = checked + ?2, failed = failed + ?3, items_new = items_new + ?4,
       last_finished_at = max(COALESCE(last_finished_at, ''), ?5),
       open = CASE WHEN checked + ?2 + failed + ?3 >= feeds_total THEN 0 ELSE open END
     WHERE run_id = ?1`,
    runId,
    added.checked,
    added.failed,
    added.itemsNew,
    added.lastFinishedAt ?? "",
  );
}

/**
 * Finishes feeds of a run, each once (a feed no longer queued in it, as a redelivered message
 * finds it, changes nothing), and keeps the schedule each check set. One transaction.
 */
export function finishFeeds(storage: DurableObjectStorage, runId: string, finishes: FeedFinish[]): RunTotals | null {
  return storage.transactionSync(() => {
    const sql = storage.sql;
    const added = { checked: 0, failed: 0, itemsNew: 0, lastFinishedAt: null as string | null };
    for (const done of finishes) {
      const marked = sql
        .exec(
          `UPDATE run_feeds SET state = ?3, items_new = ?4, finished_at = ?5
           WHERE run_id = ?1 AND feed_id = ?2 AND state = 'queued' RETURNING feed_id`,
          runId,
          done.feedId,
          done.state,
          done.itemsNew,
          done.now,
        )
        .toArray();
      if (marked.length === 0) continue;
      added[done.state === "checked" ? "checked" : "failed"]++;
      added.itemsNew += done.itemsNew;
      if (done.now > (added.lastFinishedAt ?? "")) added.lastFinishedAt = done.now;
      if (!done.schedule) continue;
      const s = done.schedule;
      sql.exec(
        `INSERT INTO schedule (feed_id, last_checked_at, last_status, last_http_status, next_check_at, check_interval_s,
           body_hash, items_digest, items_seen, dispatched_through)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10)
         ON CONFLICT (feed_id) DO UPDATE SET last_checked_at = excluded.last_checked_at,
           last_status = excluded.last_status, last_http_status = excluded.last_http_status,
           next_check_at = excluded.next_check_at, check_interval_s = excluded.check_interval_s,
           body_hash = excluded.body_hash, items_digest = excluded.items_digest,
           items_seen = excluded.items_seen, dispatched_through = excluded.dispatched_through`,
        done.feedId,
        s.last_checked_at,
        s.last_status,
        s.last_http_status,
        s.next_check_at,
        s.check_interval_s,
        s.body_hash ?? null,
        s.items_digest ?? null,
        s.items_seen ?? null,
        s.dispatched_through ?? null,
      );
    }
    countFinished(storage, runId, added);
    return runTotals(storage, runId);
  });
}

/**
 * Ends a run that cannot proceed: its unfinished feeds are marked failed and it holds no
 * lease any more, so the next tick takes them. Returns its totals after (null for a run this
 * object never took), and how many feeds it had left.
 */
export function closeRun(
  storage: DurableObjectStorage,
  runId: string,
  now: string,
): { totals: RunTotals; released: number } | null {
  return storage.transactionSync(() => {
    const sql = storage.sql;
    const released = sql
      .exec<{ n: number }>("SELECT count(*) AS n FROM run_feeds WHERE run_id = ? AND state = 'queued'", runId)
      .one().n;
    sql.exec(
      "UPDATE run_feeds SET state = 'failed', finished_at = ?2 WHERE run_id = ?1 AND state = 'queued'",
      runId,
      now,
    );
    countFinished(storage, runId, { checked: 0, failed: released, itemsNew: 0, lastFinishedAt: null });
    sql.exec("UPDATE runs SET open = 0 WHERE run_id = ? AND open = 1", runId);
    const totals = runTotals(storage, runId);
    return totals ? { totals, released } : null;
  });
}

/** Rows one retention call deletes at most: a backlog drains over later ticks, each call stays short. */
export const FORGET_ROWS_PER_CALL = 20_000;

/**
 * Forgets runs started before `cutoff` (history retention; a run that old holds no lease any
 * more), the oldest first, with their per-feed rows, until about `budget` rows are deleted.
 * Returns how many runs it forgot.
 */
export function forgetRunsBefore(
  storage: DurableObjectStorage,
  cutoff: string,
  budget: number = FORGET_ROWS_PER_CALL,
): number {
  return storage.transactionSync(() => {
    const sql = storage.sql;
    const old = sql
      .exec<{ run_id: string; feeds_total: number }>(
        "SELECT run_id, feeds_total FROM runs WHERE started_at < ? ORDER BY started_at",
        cutoff,
      )
      .toArray();
    let deleted = 0;
    let forgotten = 0;
    for (const run of old) {
      // A run larger than the whole budget still goes, alone: otherwise it would never go.
      if (forgotten > 0 && deleted + run.feeds_total + 1 > budget) break;
      sql.exec("DELETE FROM run_feeds WHERE run_id = ?", run.run_id);
      sql.exec("DELETE FROM runs WHERE run_id = ?", run.run_id);
      deleted += run.feeds_total + 1;
      forgotten++;
    }
    return forgotten;
  });
}

export function forgetFeedSchedule(storage: DurableObjectStorage, feedId: string): void {
  storage.sql.exec("DELETE FROM schedule WHERE feed_id = ?", feedId);
}

/** Sets a feed's next check (a resume, or a hot storyline's hurry) on the schedule that holds for it. */
export function setNextCheck(storage: DurableObjectStorage, base: FeedSchedule): void {
  storage.sql.exec(
    `INSERT INTO schedule (feed_id, last_checked_at, last_status, last_http_status, next_check_at, check_interval_s)
     VALUES (?1, ?2, ?3, ?4, ?5, ?6)
     ON CONFLICT (feed_id) DO UPDATE SET next_check_at = excluded.next_check_at`,
    base.feed_id,
    base.last_checked_at,
    base.last_status,
    base.last_http_status,
    base.next_check_at,
    base.check_interval_s,
  );
}

/** The feeds of a run and where each stands (for inspection). */
export function runFeeds(
  storage: DurableObjectStorage,
  runId: string,
): Array<{ feed_id: string; state: "queued" | "checked" | "failed" }> {
  return storage.sql
    .exec<{ feed_id: string; state: string }>("SELECT feed_id, state FROM run_feeds WHERE run_id = ?", runId)
    .toArray() as Array<{ feed_id: string; state: "queued" | "checked" | "failed" }>;
}

/** Feeds an open run still waits for (its lease). */
export function queuedFeeds(storage: DurableObjectStorage): string[] {
  return storage.sql
    .exec<{ feed_id: string }>(
      `SELECT rf.feed_id FROM runs r CROSS JOIN run_feeds rf ON rf.run_id = r.run_id
       WHERE r.open = 1 AND rf.state = 'queued'`,
    )
    .toArray()
    .map((r) => r.feed_id);
}
