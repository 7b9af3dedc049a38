/** D1 access for `runs` and `run_feeds`: a run's feeds are counted once per batch that finishes them. */
import { z } from "@hono/zod-openapi";
import { randomId } from "../lib/ids";

/**
 * A run, the one schema for both its D1 row and its JSON (they are the same fields): the API
 * documents and validates it, and the types below derive from it.
 */
export const RunSchema = z
  .object({
    id: z.string().openapi({ example: "run_k3j5n2p7q9r4s6t8" }),
    trigger: z.enum(["cron", "manual"]),
    status: z.enum(["running", "completed", "failed"]).openapi({
      description:
        "completed once every feed the run took on was fetched, parsed and run through detection; failed = the run itself could not proceed",
    }),
    started_at: z.string(),
    finished_at: z.string().nullable(),
    feeds_total: z.number().int().openapi({ description: "Feeds the run took on" }),
    feeds_checked: z.number().int().openapi({ description: "Feeds checked successfully" }),
    feeds_failed: z.number().int().openapi({ description: "Feeds whose check failed (see each feed's last_error)" }),
    items_new: z.number().int(),
    developments: z.number().int(),
    error: z.string().nullable(),
  })
  .openapi("Run");

export type RunRow = z.infer<typeof RunSchema>;
/** A run as the API shows it (DESIGN.md fields, plus feeds_total, feeds_failed and error). */
export type RunJson = RunRow;

/** The row as the API shows it: the schema's fields only (a column added later stays inside). */
export const runJson = (row: RunRow): RunJson => RunSchema.parse(row);

export const newRunId = (): string => randomId("run_", 16);

/**
 * SQL: the feeds run ?1 may take at ?2: not paused, due (unless ?3 = 0, a manual run), and not
 * queued in another running run whose lease is unexpired (its lease, see startRun).
 */
const TAKEABLE = `FROM feeds f WHERE f.paused_at IS NULL AND (?3 = 0 OR f.next_check_at <= ?2)
  AND NOT EXISTS (SELECT 1 FROM runs r JOIN run_feeds rf ON rf.run_id = r.id AND rf.feed_id = f.id
    WHERE r.status = 'running' AND r.id <> ?1 AND r.lease_until > ?2 AND rf.state = 'queued')`;

/**
 * Starts a run and takes the lease on its feeds in one transaction: a run_feeds row per feed
 * taken is the lease (no write to the feed). It takes every due feed (or every feed, for a
 * manual run) that is not paused and not queued in another running run whose lease has not
 * expired, in one INSERT … SELECT, so two overlapping ticks can never take the same feed
 * (SQLite runs each statement atomically and D1 has a single writer). The feeds come back in
 * the order they were added. A cron tick that finds nothing to take writes nothing and
 * returns null; a manual run with no feeds is complete at once.
 */
export async function startRun(
  db: D1Database,
  run: { id: string; trigger: "cron" | "manual"; now: string; leaseUntil: string; dueOnly: boolean; limit: number },
): Promise<{ run: RunRow; feedIds: string[] } | null> {
  const [, taken, created] = await db.batch<{ feed_id?: string } & Partial<RunRow>>([
    db
      .prepare(
        `INSERT INTO runs (id, trigger, status, started_at, lease_until)
         SELECT ?1, ?4, 'running', ?2, ?5 WHERE ?4 = 'manual' OR EXISTS (SELECT 1 ${TAKEABLE})`,
      )
      .bind(run.id, run.now, run.dueOnly ? 1 : 0, run.trigger, run.leaseUntil),
    db
      .prepare(
        `INSERT INTO run_feeds (run_id, feed_id)
         SELECT ?1, id FROM (SELECT f.id, f.rowid AS added ${TAKEABLE} ORDER BY f.next_check_at LIMIT ?4)
         WHERE EXISTS (SELECT 1 FROM runs WHERE id = ?1)
         ORDER BY added
         RETURNING feed_id`,
      )
      .bind(run.id, run.now, run.dueOnly ? 1 : 0, run.limit),
    db
      .prepare(
        `UPDATE runs SET (feeds_total, status, finished_at) = (
           SELECT n, CASE WHEN n = 0 THEN 'completed' ELSE 'running' END, CASE WHEN n = 0 THEN ?2 END
           FROM (SELECT count(*) AS n FROM run_feeds WHERE run_id = ?1))
         WHERE id = ?1 RETURNING *`,
      )
      .bind(run.id, run.now),
  ]);
  const row = created?.results[0] as RunRow | undefined;
  if (!row) return null;
  return { run: row, feedIds: (taken?.results ?? []).map((r) => r.feed_id as string) };
}

/**
 * Ends a run that cannot proceed (its feeds could not be queued, or it stalled) in one
 * transaction: the run is `failed` with the reason and its unfinished feeds are marked failed
 * (a late poll of them then changes nothing). A run that is not running holds no lease, so the
 * next tick polls those feeds. The feeds' own health is untouched: the failure was ours, not
 * theirs. False when the run was no longer running.
 */
export async function failRun(db: D1Database, id: string, error: string, now: string): Promise<boolean> {
  const [failed] = await db.batch([
    db
      .prepare(
        `UPDATE runs SET status = 'failed', error = ?2, finished_at = ?3,
           feeds_failed = feeds_failed + (SELECT count(*) FROM run_feeds WHERE run_id = ?1 AND state = 'queued')
         WHERE id = ?1 AND status = 'running'`,
      )
      .bind(id, error, now),
    db
      .prepare("UPDATE run_feeds SET state = 'failed', finished_at = ?2 WHERE run_id = ?1 AND state = 'queued'")
      .bind(id, now),
  ]);
  return (failed?.meta.changes ?? 0) > 0;
}

export function getRun(db: D1Database, id: string): Promise<RunRow | null> {
  return db.prepare("SELECT * FROM runs WHERE id = ?").bind(id).first<RunRow>();
}

export async function listRuns(db: D1Database, limit: number): Promise<RunRow[]> {
  const { results } = await db
    .prepare("SELECT * FROM runs ORDER BY started_at DESC, id DESC LIMIT ?")
    .bind(limit)
    .all<RunRow>();
  return results;
}

/** One feed of a run, done. */
export interface FeedFinish {
  feedId: string;
  state: "checked" | "failed";
  itemsNew: number;
  /** When its poll ended. */
  now: string;
}

/**
 * Finishes feeds of one run, each once, and counts them in the run with one write: each
 * run_feeds row is marked under the `state = 'queued'` guard (a redelivered message changes
 * nothing) with this call's token, then the run adds exactly the rows this token marked, and
 * completes with its last feed when no detection it queued is still queued. Run these in one
 * batch, after the feeds' own statements.
 */
export function finishRunFeedsStatements(db: D1Database, runId: string, finishes: FeedFinish[]): D1PreparedStatement[] {
  if (finishes.length === 0) return [];
  const token = randomId("fin_", 12);
  // A run that completes here ends when the last of these polls ended.
  const lastFinish = [...finishes].sort((a, b) => a.now.localeCompare(b.now)).at(-1)?.now;
  const statements = finishes.map((done) =>
    db
      .prepare(
        `UPDATE run_feeds SET state = ?3, items_new = ?4, finished_at = ?5, finished_by = ?6
         WHERE run_id = ?1 AND feed_id = ?2 AND state = 'queued'`,
      )
      .bind(runId, done.feedId, done.state, done.itemsNew, done.now, token),
  );
  // The feed ids as bound parameters, not a JSON list: each is then one key lookup (D1 allows 100 per statement).
  // The queued-detections test names runs.id, not ?1: SQLite then runs it only for a run whose
  // feeds are all done, instead of once per statement over all the run's detections.
  for (let i = 0; i < finishes.length; i += FINISHES_PER_STATEMENT) {
    const ids = finishes.slice(i, i + FINISHES_PER_STATEMENT).map((f) => f.feedId);
    const mine = `FROM run_feeds mine WHERE mine.run_id = ?1 AND mine.finished_by = ?2
      AND mine.feed_id IN (${ids.map((_, n) => `?${n + 3}`).join(", ")})`;
    statements.push(
      db
        .prepare(
          `UPDATE runs SET (feeds_checked, feeds_failed, items_new) = (
             SELECT runs.feeds_checked + COALESCE(sum(mine.state = 'checked'), 0),
                    runs.feeds_failed + COALESCE(sum(mine.state = 'failed'), 0),
                    runs.items_new + COALESCE(sum(mine.items_new), 0) ${mine})
           WHERE id = ?1 AND EXISTS (SELECT 1 ${mine})`,
        )
        .bind(runId, token, ...ids),
      db
        .prepare(
          `UPDATE runs SET status = 'completed', finished_at = ?${ids.length + 3}
           WHERE id = ?1 AND status = 'running' AND feeds_checked + feeds_failed >= feeds_total
             AND NOT EXISTS (SELECT 1 FROM run_detections d WHERE d.run_id = runs.id AND d.state = 'queued')
             AND EXISTS (SELECT 1 ${mine})`,
        )
        .bind(runId, token, ...ids, lastFinish),
    );
  }
  return statements;
}

/** Feeds counted per accounting statement: D1 binds at most 100 parameters to one statement. */
const FINISHES_PER_STATEMENT = 90;

/**
 * Runs still `running` whose last progress (the last feed finished, or the start) is before
 * `cutoff`: their poller died or their messages were lost. With how many feeds each waits for.
 * A run whose feeds are all done waits only on its detections, which a storyline may retry
 * for longer: those finish, or are given up, through the detections queue, so it is left be.
 */
export async function listStalledRuns(
  db: D1Database,
  cutoff: string,
  limit = 100,
): Promise<Array<{ id: string; last_progress: string; waiting: number; feeds_total: number }>> {
  const { results } = await db
    .prepare(
      `SELECT r.id, r.feeds_total,
              max(r.started_at, COALESCE(max(rf.finished_at), r.started_at)) AS last_progress,
              COALESCE(sum(rf.state = 'queued'), 0) AS waiting
       FROM runs r LEFT JOIN run_feeds rf ON rf.run_id = r.id
       WHERE r.status = 'running'
       GROUP BY r.id
       HAVING last_progress < ?1
         AND (waiting > 0 OR NOT EXISTS (SELECT 1 FROM run_detections d WHERE d.run_id = r.id AND d.state = 'queued'))
       ORDER BY r.started_at LIMIT ?2`,
    )
    .bind(cutoff, limit)
    .all<{ id: string; last_progress: string; waiting: number; feeds_total: number }>();
  return results;
}

/** Retention: deletes finished runs started before `cutoff` (their run_feeds rows go with them), at most `limit`. */
export async function deleteRunsBefore(db: D1Database, cutoff: string, limit = 1_000): Promise<number> {
  const result = await db
    .prepare(
      `DELETE FROM runs WHERE id IN (
         SELECT id FROM runs WHERE started_at < ?1 AND status <> 'running' ORDER BY started_at LIMIT ?2)`,
    )
    .bind(cutoff, limit)
    .run();
  return result.meta.changes ?? 0;
}

/**
 * Records that a run queued a detection message (written in the batch that finishes the feed,
 * before it). Ignored when the consumer already finished it: that one came first.
 */
export function expectDetectionStatement(
  db: D1Database,
  detection: { runId: string; key: string; storylineId: string },
): D1PreparedStatement {
  return db
    .prepare(
      `INSERT INTO run_detections (run_id, detection_key, storyline_id) VALUES (?1, ?2, ?3)
       ON CONFLICT (run_id, detection_key) DO NOTHING`,
    )
    .bind(detection.runId, detection.key, detection.storylineId);
}

/**
 * Finishes a run's detection message once (a redelivered message changes nothing); the
 * run_detections_done trigger counts its developments and completes the run with its last
 * detection. Nothing is written for a run that retention has deleted.
 */
export async function finishDetection(
  db: D1Database,
  done: {
    runId: string;
    key: string;
    storylineId: string;
    state: "done" | "failed";
    developments: number;
    now: string;
  },
): Promise<void> {
  await db
    .prepare(
      `INSERT INTO run_detections (run_id, detection_key, storyline_id, state, developments, finished_at)
       SELECT ?1, ?2, ?3, ?4, ?5, ?6 WHERE EXISTS (SELECT 1 FROM runs WHERE id = ?1)
       ON CONFLICT (run_id, detection_key) DO UPDATE SET
         state = excluded.state, developments = excluded.developments, finished_at = excluded.finished_at
       WHERE run_detections.state = 'queued'`,
    )
    .bind(done.runId, done.key, done.storylineId, done.state, done.developments, done.now)
    .run();
}
