import { getConfig } from "../config";
import { InvalidInput, ManagedByConfig, NotFound } from "../lib/errors";
import { randomId } from "../lib/ids";
import {
  deleteFeed,
  type FeedHistoryEntry,
  type FeedJson,
  feedJson,
  getFeed,
  getFeedByUrl,
  insertFeed,
  listFeedHistory,
  listFeeds,
  updateFeed,
} from "../store/feeds";
import { type FeedHealth, listFeedHealth } from "../store/pages";
import { objectCheckHolds } from "../store/scheduler-storage";
import { FeedExists, UrlInvalid, UrlRefused } from "./errors";
import { OpmlError, type OpmlFeed, parseOpml } from "./opml";
import { validatorsKey } from "./poller";
import { scheduler, withSchedule, withSchedules } from "./scheduler-object";
import { checkPublicUrl } from "./url-guard";

/** feed_ + 16 base32 characters: the one form of feed ids, from the API and from storylines.json. */
export const newFeedId = (): string => randomId("feed_", 16);

/** The form a feed URL is stored (and compared for duplicates) in: parsed, fragment dropped. */
export function feedUrlKey(url: URL): string {
  const copy = new URL(url.href);
  copy.hash = "";
  return copy.href;
}

/**
 * Adds a feed after the address check; due at once. A URL already watched throws FeedExists
 * with that feed, so a client can carry on with its id.
 */
export async function createFeed(
  env: Env,
  input: { url: string; title?: string | null; poll_interval_minutes?: number | null },
  now = new Date(),
): Promise<FeedJson> {
  const url = feedUrlKey(
    checkPublicUrl(input.url, { allowPrivateNetwork: getConfig(env).allowPrivateNetwork, field: "url" }),
  );
  const title = input.title?.trim() || null;
  const row = await insertFeed(env.DB, {
    id: newFeedId(),
    url,
    title,
    now: now.toISOString(),
    pollIntervalS: input.poll_interval_minutes ? input.poll_interval_minutes * 60 : null,
  });
  if (row) return feedJson(row);
  const existing = await getFeedByUrl(env.DB, url);
  throw new FeedExists(url, existing ? feedJson((await withSchedules(env, [existing]))[0] ?? existing) : null);
}

/** Pauses or resumes a feed, renames it or sets its own interval; a declared feed is the file's to change. */
export async function changeFeed(
  env: Env,
  id: string,
  patch: { title?: string | null; paused?: boolean; poll_interval_minutes?: number | null },
  now = new Date(),
): Promise<FeedJson> {
  const existing = await getFeed(env.DB, id);
  if (!existing) throw new NotFound("feed", id);
  if (existing.source === "config") throw new ManagedByConfig("feed", id, "change");
  const row = await updateFeed(env.DB, id, {
    title: patch.title === undefined ? undefined : patch.title?.trim() || null,
    pausedAt: patch.paused === undefined ? undefined : patch.paused ? (existing.paused_at ?? now.toISOString()) : null,
    pollIntervalS:
      patch.poll_interval_minutes === undefined
        ? undefined
        : patch.poll_interval_minutes && patch.poll_interval_minutes * 60,
    now: now.toISOString(),
  });
  if (!row) throw new NotFound("feed", id);
  const object = scheduler(env);
  const [schedule] = await object.schedules([id]);
  // A resumed feed is due at once (updateFeed set D1's next check): the object's schedule says so too.
  if (schedule && existing.paused_at !== null && row.paused_at === null) {
    await object.reschedule([{ ...schedule, next_check_at: row.next_check_at }]);
    return feedJson(withSchedule(row, { ...schedule, next_check_at: row.next_check_at }));
  }
  return feedJson(withSchedule(row, schedule));
}

/** Every feed as the API shows it, with the schedule its last check left. */
export async function listFeedsNow(env: Env): Promise<FeedJson[]> {
  return (await withSchedules(env, await listFeeds(env.DB), true)).map(feedJson);
}

/** Health of the feeds a storyline draws on (store/pages.ts), with each one's last check as the scheduler object keeps it. */
export async function listFeedHealthNow(env: Env, feedIds: string[] | null): Promise<FeedHealth[]> {
  const health = await listFeedHealth(env.DB, feedIds);
  if (health.length === 0) return health;
  const schedules = new Map(
    (await scheduler(env).schedules(feedIds === null ? null : health.map((h) => h.id))).map((s) => [s.feed_id, s]),
  );
  return health.map((feed) => {
    const schedule = schedules.get(feed.id);
    if (!schedule || !objectCheckHolds(schedule.last_checked_at, feed.lastCheckedAt)) return feed;
    return { ...feed, lastCheckedAt: schedule.last_checked_at, lastStatus: schedule.last_status };
  });
}

/**
 * Stops watching a feed: its row, its items and its HTTP validators. False when there was
 * none; a feed declared in storylines.json is ManagedByConfig (it would come back on the next tick).
 */
export async function removeFeed(env: Env, id: string): Promise<boolean> {
  const existing = await getFeed(env.DB, id);
  if (existing?.source === "config") throw new ManagedByConfig("feed", id, "remove");
  if (!(await deleteFeed(env.DB, id))) return false;
  await env.CACHE.delete(validatorsKey(id));
  await scheduler(env).forgetFeed(id);
  return true;
}

/** One feed with its history (changes storywatch made to it, newest first); null when there is none. */
export async function getFeedWithHistory(
  env: Env,
  id: string,
): Promise<(FeedJson & { history: FeedHistoryEntry[] }) | null> {
  const row = await getFeed(env.DB, id);
  if (!row) return null;
  const [feed] = await withSchedules(env, [row]);
  return { ...feedJson(feed ?? row), history: await listFeedHistory(env.DB, id) };
}

export interface OpmlImport {
  added: FeedJson[];
  /** URLs already watched. */
  existing: string[];
  /** URLs refused, each with the reason (a private address, not http(s), …). */
  refused: Array<{ url: string; reason: string }>;
}

/** Watches every subscription of an OPML file; one bad entry is reported, not fatal to the rest. */
export async function importOpml(env: Env, text: string, now = new Date()): Promise<OpmlImport> {
  let feeds: OpmlFeed[];
  try {
    feeds = parseOpml(text);
  } catch (error) {
    if (!(error instanceof OpmlError)) throw error;
    throw new InvalidInput(
      "body",
      error.message,
      `The file could not be imported: ${error.message}. Export your subscriptions from your feed reader as OPML and send that file.`,
    );
  }
  const result: OpmlImport = { added: [], existing: [], refused: [] };
  for (const feed of feeds) {
    try {
      result.added.push(await createFeed(env, { url: feed.url, title: feed.title }, now));
    } catch (error) {
      if (error instanceof FeedExists) result.existing.push(feed.url);
      else if (error instanceof UrlInvalid || error instanceof UrlRefused) {
        result.refused.push({ url: feed.url, reason: error.message });
      } else throw error;
    }
  }
  return result;
}
