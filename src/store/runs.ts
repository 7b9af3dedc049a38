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
 * Records a run over the feeds its id already leases: one run_feeds row per leased feed
 * (INSERT … SELECT, no parameter limit), and the total. A run with no feeds is complete at once.
 */
export async function createRun(
  db: D1Database,
  run: { id: string; trigger: "cron" | "manual"; now: string },
): Promise<RunRow> {
  const [, , created] = await db.batch<RunRow>([
    db
      .prepare("INSERT INTO runs (id, trigger, status, started_at) VALUES (?1, ?2, 'running', ?3)")
      .bind(run.id, run.trigger, run.now),
    db.prepare("INSERT INTO run_feeds (run_id, feed_id) SELECT ?1, id FROM feeds WHERE lease_owner = ?1").bind(run.id),
    db
      .prepare(
        `UPDATE runs SET feeds_total = (SELECT count(*) FROM run_feeds WHERE run_id = ?1),
           status = CASE WHEN (SELECT count(*) FROM run_feeds WHERE run_id = ?1) = 0 THEN 'completed' ELSE status END,
           finished_at = CASE WHEN (SELECT count(*) FROM run_feeds WHERE run_id = ?1) = 0 THEN ?2 ELSE NULL END
         WHERE id = ?1 RETURNING *`,
      )
      .bind(run.id, run.now),
  ]);
  const row = created?.results[0];
  if (!row) throw new Error(`run ${run.id} was not recorded`);
  return row;
}

export async function failRun(db: D1Database, id: string, error: string, now: string): Promise<void> {
  await db
    .prepare("UPDATE runs SET status = 'failed', error = ?2, finished_at = ?3 WHERE id = ?1 AND status = 'running'")
    .bind(id, error, now)
    .run();
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
  const ids = JSON.stringify(finishes.map((f) => f.feedId));
  const mine = "FROM run_feeds WHERE run_id = ?1 AND feed_id IN (SELECT value FROM json_each(?2)) AND finished_by = ?3";
  return [
    ...finishes.map((done) =>
      db
        .prepare(
          `UPDATE run_feeds SET state = ?3, items_new = ?4, finished_at = ?5, finished_by = ?6
           WHERE run_id = ?1 AND feed_id = ?2 AND state = 'queued'`,
        )
        .bind(runId, done.feedId, done.state, done.itemsNew, done.now, token),
    ),
    db
      .prepare(
        `UPDATE runs SET
           feeds_checked = feeds_checked + (SELECT count(*) ${mine} AND state = 'checked'),
           feeds_failed = feeds_failed + (SELECT count(*) ${mine} AND state = 'failed'),
           items_new = items_new + (SELECT COALESCE(sum(items_new), 0) ${mine})
         WHERE id = ?1 AND EXISTS (SELECT 1 ${mine})`,
      )
      .bind(runId, ids, token),
    db
      .prepare(
        `UPDATE runs SET status = 'completed', finished_at = (SELECT max(finished_at) ${mine})
         WHERE id = ?1 AND status = 'running' AND feeds_checked + feeds_failed >= feeds_total
           AND EXISTS (SELECT 1 ${mine})
           AND NOT EXISTS (SELECT 1 FROM run_detections WHERE run_id = ?1 AND state = 'queued')`,
      )
      .bind(runId, ids, token),
  ];
}

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

/**
 * Ends a stalled run in one transaction: the run is `failed` with the reason, its unfinished
 * feeds are marked failed (a late poll of them then changes nothing), and their leases are
 * released so the next tick polls them. The feeds' own health is untouched: the failure was
 * ours, not theirs. False when the run was no longer running.
 */
export async function failStalledRun(db: D1Database, id: string, reason: string, now: string): Promise<boolean> {
  const [failed] = await db.batch([
    db
      .prepare(
        `UPDATE runs SET status = 'failed', error = ?2, finished_at = ?3,
           feeds_failed = feeds_failed + (SELECT count(*) FROM run_feeds WHERE run_id = ?1 AND state = 'queued')
         WHERE id = ?1 AND status = 'running'`,
      )
      .bind(id, reason, now),
    db
      .prepare("UPDATE run_feeds SET state = 'failed', finished_at = ?2 WHERE run_id = ?1 AND state = 'queued'")
      .bind(id, now),
    db.prepare("UPDATE feeds SET lease_owner = NULL, lease_until = NULL WHERE lease_owner = ?1").bind(id),
  ]);
  return (failed?.meta.changes ?? 0) > 0;
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
