import { failRun, listStalledRuns, newRunId, type RunRow, startRun } from "../store/runs";
import { hurryHotFeeds } from "./cadence";
import { LEASE_MS, type PollMessage } from "./poller";

/** Queues take at most 100 messages per sendBatch. */
const SEND_BATCH_LIMIT = 100;
/** Feeds one tick takes on; the rest stay due for the next tick. */
export const MAX_FEEDS_PER_TICK = 10_000;

/**
 * One scheduler tick: lease the feeds to check (the due ones on cron, with hot storylines'
 * feeds due at the minimum interval; all of them for a manual run), record the run, and fan the feeds out over the `polls` queue. The tick only
 * enqueues, so it costs the same for 5 feeds or 10,000. Overlapping ticks cannot take the
 * same feed: the lease is taken in one INSERT … SELECT (see startRun).
 *
 * Returns the run, or null for a cron tick that found nothing due (no empty run rows every 5 minutes).
 */
export async function runTick(env: Env, trigger: "cron" | "manual", now: Date = new Date()): Promise<RunRow | null> {
  const runId = newRunId();
  const nowIso = now.toISOString();
  // Hot storylines' feeds become due at the minimum interval before the due ones are leased.
  if (trigger === "cron") await hurryHotFeeds(env, now);
  const started = await startRun(env.DB, {
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
    await failRun(env.DB, runId, reason, new Date().toISOString());
    return { ...run, status: "failed", error: reason };
  }
  return run;
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
    const reason =
      `no feed of this run finished for ${RUN_STALLED_AFTER_MS / 60_000} minutes (last progress ${run.last_progress}): ` +
      `${run.waiting} of ${run.feeds_total} feeds never finished (the poll stopped or its message was lost); ` +
      "they were released and the next run checks them";
    if (await failRun(env.DB, run.id, reason, now.toISOString())) swept.push(run.id);
  }
  return swept;
}
