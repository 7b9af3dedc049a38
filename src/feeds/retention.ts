import { getConfig } from "../config";
import { deleteFinishedDeliveriesBefore } from "../store/deliveries";
import { pruneItemText } from "../store/items";
import { deleteRunsBefore } from "../store/runs";
import { scheduler } from "./scheduler-object";

const DAY_MS = 24 * 60 * 60 * 1000;

/**
 * Retention (cron): items first seen more than ITEM_RETENTION_DAYS ago lose their text.
 * Their identity rows (feed_id, item_key, content_hash) stay for good: they are small, and
 * deleting them would let an old entry that is still in a feed (evergreen pages, feeds that
 * never drop entries) come back as new and raise a false alert.
 */
export async function pruneOldItems(env: Env, now: Date = new Date()): Promise<number> {
  const days = getConfig(env).itemRetentionDays;
  const cutoff = new Date(now.getTime() - days * DAY_MS).toISOString();
  return pruneItemText(env.DB, cutoff, now.toISOString());
}

/**
 * Retention (cron): the record of past work, runs (with the scheduler object's row per feed
 * per run: thousands a day at a 15-minute cron) and finished deliveries with their attempts, is deleted
 * HISTORY_RETENTION_DAYS after it began. Bounded per tick; a backlog drains over later ticks.
 */
export async function pruneHistory(env: Env, now: Date = new Date()): Promise<{ runs: number; deliveries: number }> {
  const cutoff = new Date(now.getTime() - getConfig(env).historyRetentionDays * DAY_MS).toISOString();
  // The object's history failing to go must not keep D1's from going (stages fail alone).
  await scheduler(env)
    .forgetRunsBefore(cutoff)
    .catch((error: unknown) => console.error("retention: the scheduler object kept its old runs", error));
  return {
    runs: await deleteRunsBefore(env.DB, cutoff),
    deliveries: await deleteFinishedDeliveriesBefore(env.DB, cutoff),
  };
}
