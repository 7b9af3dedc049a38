/**
 * D1 access for `runs`, their public accounting: a run's feeds are leased and finished in the
 * scheduler object (src/store/scheduler-storage.ts), and each consumer batch publishes its counts here once.
 */
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
 * Records a run whose feeds the scheduler object has leased (src/feeds/scheduler.ts): running,
 * or completed at once when it took none (a manual run with no feeds).
 */
export async function insertRun(
  db: D1Database,
  run: { id: string; trigger: "cron" | "manual"; now: string; feedsTotal: number },
): Promise<RunRow> {
  const row = await db
    .prepare(
      `INSERT INTO runs (id, trigger, status, started_at, feeds_total, finished_at)
       VALUES (?1, ?2, CASE WHEN ?4 = 0 THEN 'completed' ELSE 'running' END, ?3, ?4, CASE WHEN ?4 = 0 THEN ?3 END)
       RETURNING *`,
    )
    .bind(run.id, run.trigger, run.now, run.feedsTotal)
    .first<RunRow>();
  if (!row) throw new Error(`run ${run.id} was not recorded`);
  return row;
}

/** A run's counts as the scheduler object keeps them (src/store/scheduler-storage.ts). */
export interface RunCounts {
  runId: string;
  checked: number;
  failed: number;
  itemsNew: number;
  /** When its last finished feed finished; null when none has. */
  lastFinishedAt: string | null;
}

/**
 * Ends a run that cannot proceed (its feeds could not be queued, or it stalled): `failed`
 * with the reason, its counts as the scheduler object closed it (its unfinished feeds
 * failed), or, for a run the object never took, every feed not yet counted failed. The
 * feeds' own health is untouched: the failure was ours, not theirs. False when the run was
 * no longer running.
 */
export async function failRun(
  db: D1Database,
  id: string,
  error: string,
  now: string,
  counts: RunCounts | null,
): Promise<boolean> {
  const failed = await db
    .prepare(
      `UPDATE runs SET status = 'failed', error = ?2, finished_at = ?3,
         feeds_checked = CASE WHEN ?4 IS NULL THEN feeds_checked ELSE max(feeds_checked, ?4) END,
         feeds_failed = CASE WHEN ?5 IS NULL THEN feeds_total - feeds_checked ELSE max(feeds_failed, ?5) END,
         items_new = CASE WHEN ?6 IS NULL THEN items_new ELSE max(items_new, ?6) END
       WHERE id = ?1 AND status = 'running'`,
    )
    .bind(id, error, now, counts?.checked ?? null, counts?.failed ?? null, counts?.itemsNew ?? null)
    .run();
  return (failed.meta.changes ?? 0) > 0;
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

/**
 * A consumer batch's one write to a run: its counts as the scheduler object has them now
 * (absolute and never lowered, so batches that commit out of order, or twice, count each feed
 * once), then completion with its last feed when no detection it queued is still queued.
 * Run these after the batch's feed outcomes and detection records are committed.
 */
export function publishRunStatements(db: D1Database, counts: RunCounts, now: string): D1PreparedStatement[] {
  return [
    db
      .prepare(
        `UPDATE runs SET feeds_checked = max(feeds_checked, ?2), feeds_failed = max(feeds_failed, ?3),
           items_new = max(items_new, ?4), progress_at = max(COALESCE(progress_at, ''), ?5)
         WHERE id = ?1 AND status = 'running' AND (feeds_checked < ?2 OR feeds_failed < ?3 OR items_new < ?4)`,
      )
      .bind(counts.runId, counts.checked, counts.failed, counts.itemsNew, counts.lastFinishedAt ?? now),
    // The queued-detections test names runs.id, not ?1: SQLite then runs it only for a run whose
    // feeds are all done, instead of over all the run's detections on every batch.
    db
      .prepare(
        `UPDATE runs SET status = 'completed', finished_at = ?2
         WHERE id = ?1 AND status = 'running' AND feeds_checked + feeds_failed >= feeds_total
           AND NOT EXISTS (SELECT 1 FROM run_detections d WHERE d.run_id = runs.id AND d.state = 'queued')`,
      )
      .bind(counts.runId, counts.lastFinishedAt ?? now),
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
      `SELECT r.id, r.feeds_total, max(r.started_at, COALESCE(r.progress_at, r.started_at)) AS last_progress,
              r.feeds_total - r.feeds_checked - r.feeds_failed AS waiting
       FROM runs r
       WHERE r.status = 'running' AND max(r.started_at, COALESCE(r.progress_at, r.started_at)) < ?1
         AND (r.feeds_checked + r.feeds_failed < r.feeds_total
              OR NOT EXISTS (SELECT 1 FROM run_detections d WHERE d.run_id = r.id AND d.state = 'queued'))
       ORDER BY r.started_at LIMIT ?2`,
    )
    .bind(cutoff, limit)
    .all<{ id: string; last_progress: string; waiting: number; feeds_total: number }>();
  return results;
}

/** Retention: deletes finished runs started before `cutoff`, at most `limit`. */
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
