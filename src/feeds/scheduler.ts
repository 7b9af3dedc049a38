import { listSchedulableFeeds } from "../store/feeds";
import { failRun, insertRun, listStalledRuns, newRunId, type RunCounts, type RunRow } from "../store/runs";
import type { RunTotals } from "../store/scheduler-storage";
import { hurryHotFeeds } from "./cadence";
import { LEASE_MS, type PollMessage } from "./poller";
import { scheduler } from "./scheduler-object";

/** Queues take at most 100 messages per sendBatch. */
const SEND_BATCH_LIMIT = 100;
/** Feeds one tick takes on; the rest stay due for the next tick. */
export const MAX_FEEDS_PER_TICK = 10_000;

/** A run's counts in the scheduler object, as D1's runs row publishes them. */
export const runCounts = (totals: RunTotals): RunCounts => ({
  runId: totals.runId,
  checked: totals.checked,
  failed: totals.failed,
  itemsNew: totals.itemsNew,
  lastFinishedAt: totals.lastFinishedAt,
});

/**
 * Starts a run: the scheduler object leases its feeds in one call (every due feed, or every
 * feed for a manual run, that is not paused and not queued in another open run whose lease
 * has not expired; see takeFeeds), then D1 records the run. The object runs one call at a
 * time, so two overlapping ticks can never take the same feed. A cron tick that finds nothing
 * to take records nothing and returns null; a manual run with no feeds is complete at once.
 */
export async function startRun(
  env: Env,
  run: { id: string; trigger: "cron" | "manual"; now: string; leaseUntil: string; dueOnly: boolean; limit: number },
): Promise<{ run: RunRow; feedIds: string[] } | null> {
  const candidates = await listSchedulableFeeds(env.DB);
  const object = scheduler(env);
  const feedIds = await object.take({
    runId: run.id,
    now: run.now,
    leaseUntil: run.leaseUntil,
    dueOnly: run.dueOnly,
    limit: run.limit,
    candidates,
    keepEmpty: run.trigger === "manual",
  });
  if (feedIds.length === 0 && run.trigger === "cron") return null;
  try {
    const row = await insertRun(env.DB, { id: run.id, trigger: run.trigger, now: run.now, feedsTotal: feedIds.length });
    return { run: row, feedIds };
  } catch (error) {
    // Not recorded: free its feeds at once rather than when the lease expires.
    await object.close(run.id, run.now).catch(() => undefined);
    throw error;
  }
}

/**
 * One scheduler tick: lease the feeds to check (the due ones on cron, with hot storylines'
 * feeds due at the minimum interval; all of them for a manual run), record the run, and fan
 * the feeds out over the `polls` queue. The tick only enqueues, so it costs the same for 5
 * feeds or 10,000.
 *
 * Returns the run, or null for a cron tick that found nothing due (no empty run rows every 5 minutes).
 */
export async function runTick(env: Env, trigger: "cron" | "manual", now: Date = new Date()): Promise<RunRow | null> {
  const runId = newRunId();
  const nowIso = now.toISOString();
  // Hot storylines' feeds become due at the minimum interval before the due ones are leased.
  if (trigger === "cron") await hurryHotFeeds(env, now);
  const started = await startRun(env, {
    id: runId,
    trigger,
    now: nowIso,
    leaseUntil: new Date(now.getTime() + LEASE_MS).toISOString(),
    dueOnly: trigger === "cron",
    limit: MAX_FEEDS_PER_TICK,
  });
  if (!started) return null;
  const { run, feedIds } = started;
  try {
    for (let i = 0; i < feedIds.length; i += SEND_BATCH_LIMIT) {
      const messages = feedIds
        .slice(i, i + SEND_BATCH_LIMIT)
        .map((feedId) => ({ body: { runId, feedId } satisfies PollMessage, contentType: "json" as const }));
      await env.POLLS.sendBatch(messages);
    }
  } catch (error) {
    // The run cannot proceed: say so, and free the feeds for the next tick.
    const reason = `could not queue the feeds: ${(error as Error).message}`;
    await endRun(env, runId, reason, new Date());
    return { ...run, status: "failed", error: reason };
  }
  return run;
}

/**
 * Ends a run that cannot proceed: the scheduler object fails its unfinished feeds and frees
 * them, then D1's run is `failed` with the reason and those counts. Returns whether it was
 * still running, and how many feeds it had left.
 */
async function endRun(env: Env, runId: string, reason: string | ((released: number) => string), now: Date) {
  const nowIso = now.toISOString();
  const closed = await scheduler(env).close(runId, nowIso);
  const released = closed?.released ?? 0;
  const error = typeof reason === "string" ? reason : reason(released);
  return failRun(env.DB, runId, error, nowIso, closed ? runCounts(closed.totals) : null);
}

/** A run in which no feed finished for this long has stopped: its poller died or its messages were lost. */
export const RUN_STALLED_AFTER_MS = 10 * 60_000;

/**
 * Cron: ends runs that stopped making progress. Each is marked `failed` with the reason, and
 * the feeds it never finished are released so the next tick polls them. Returns their ids.
 */
export async function sweepStalledRuns(env: Env, now: Date = new Date()): Promise<string[]> {
  const cutoff = new Date(now.getTime() - RUN_STALLED_AFTER_MS).toISOString();
  const swept: string[] = [];
  for (const run of await listStalledRuns(env.DB, cutoff)) {
    const reason = (released: number) =>
      `no feed of this run finished for ${RUN_STALLED_AFTER_MS / 60_000} minutes (last progress ${run.last_progress}): ` +
      `${Math.max(released, run.waiting)} of ${run.feeds_total} feeds never finished (the poll stopped or its message was lost); ` +
      "they were released and the next run checks them";
    if (await endRun(env, run.id, reason, now)) swept.push(run.id);
  }
  return swept;
}
