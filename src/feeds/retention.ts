import { getConfig } from "../config";
import { pruneItemText } from "../store/items";

/**
 * Retention (cron): items first seen more than ITEM_RETENTION_DAYS ago lose their text.
 * Their identity rows (feed_id, item_key, content_hash) stay for good: they are small, and
 * deleting them would let an old entry that is still in a feed (evergreen pages, feeds that
 * never drop entries) come back as new and raise a false alert.
 */
export async function pruneOldItems(env: Env, now: Date = new Date()): Promise<number> {
  const days = getConfig(env).itemRetentionDays;
  const cutoff = new Date(now.getTime() - days * 24 * 60 * 60 * 1000).toISOString();
  return pruneItemText(env.DB, cutoff, now.toISOString());
}
