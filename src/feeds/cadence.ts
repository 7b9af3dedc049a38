/**
 * News-speed cadence: the feeds a hot storyline draws on are checked at the minimum interval.
 * Hot means a date within 48 hours (the story is about to happen) or a status move in the
 * last 24 hours (the story is moving).
 */
import { getConfig } from "../config";
import { listHurryCandidates } from "../store/feeds";
import type { FeedSchedule } from "../store/scheduler-storage";
import { listStorylineHeat, type StorylineHeatRow } from "../store/storylines";
import { scheduler, withSchedule } from "./scheduler-object";

const HOUR_MS = 3600_000;
export const HOT_DATE_AHEAD_MS = 48 * HOUR_MS;
export const HOT_MOVE_WINDOW_MS = 24 * HOUR_MS;

/** Whether a storyline's date (YYYY-MM-DD or a YYYY-MM-DD/YYYY-MM-DD range) falls within 48 hours of now. */
export function dateIsNear(date: string | null, now: Date): boolean {
  if (!date) return false;
  const [start, end = start] = date.split("/");
  const startMs = Date.parse(`${start}T00:00:00Z`);
  const endMs = Date.parse(`${end}T00:00:00Z`) + 24 * HOUR_MS;
  if (!Number.isFinite(startMs) || !Number.isFinite(endMs)) return false;
  return startMs <= now.getTime() + HOT_DATE_AHEAD_MS && endMs > now.getTime();
}

export function isHot(storyline: StorylineHeatRow, now: Date): boolean {
  return storyline.moved === 1 || dateIsNear(storyline.date, now);
}

/** The feeds hot storylines draw on: null for every feed (a hot storyline without a feed list). */
export function hotFeedScope(storylines: StorylineHeatRow[], now: Date): string[] | null | "none" {
  const ids = new Set<string>();
  let any = false;
  for (const storyline of storylines) {
    if (!isHot(storyline, now)) continue;
    any = true;
    if (storyline.feeds === null) return null;
    for (const id of JSON.parse(storyline.feeds) as string[]) ids.add(id);
  }
  return any ? [...ids] : "none";
}

/**
 * Pulls the feeds of hot storylines forward to the minimum interval after their last check
 * (never sooner than the publisher's floor, never later than already planned); failing feeds
 * keep their backoff, paused feeds stay paused. The new times go to the scheduler object,
 * which keeps the schedule; returns how many moved.
 */
export async function hurryHotFeeds(env: Env, now: Date): Promise<number> {
  const heat = await listStorylineHeat(env.DB, new Date(now.getTime() - HOT_MOVE_WINDOW_MS).toISOString());
  const scope = hotFeedScope(heat, now);
  if (scope === "none") return 0;
  const candidates = await listHurryCandidates(env.DB, scope);
  if (candidates.length === 0) return 0;
  const { minS } = getConfig(env).pollIntervalBounds;
  const object = scheduler(env);
  const held = new Map((await object.schedules(candidates.map((c) => c.id))).map((s) => [s.feed_id, s]));
  const moved: FeedSchedule[] = [];
  for (const candidate of candidates) {
    const current = withSchedule(candidate, held.get(candidate.id));
    if (current.last_checked_at === null) continue;
    const soonest = new Date(
      Date.parse(current.last_checked_at) + Math.max(minS, candidate.hint_floor_s ?? 0) * 1000,
    ).toISOString();
    if (current.next_check_at <= soonest) continue;
    moved.push({
      feed_id: candidate.id,
      last_checked_at: current.last_checked_at,
      last_status: current.last_status,
      last_http_status: current.last_http_status,
      next_check_at: soonest,
      check_interval_s: current.check_interval_s,
    });
  }
  if (moved.length > 0) await object.reschedule(moved);
  return moved.length;
}
