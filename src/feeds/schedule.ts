/**
 * When to check a feed next. Pure functions of what the last check saw.
 *
 * Success: Miniflux's rule (7 days ÷ entries published in the last 7 days), within the
 * configured bounds (5–60 min by default: a monitor is worth an alert in the hour of the first
 * report, so even a quiet feed is checked hourly), or the feed's own interval when the user set
 * one. The publisher's hint (Cache-Control max-age, RSS <ttl>) is a floor over both, capped at
 * a day.
 * Failure: exponential backoff with jitter, so feeds that failed together do not retry
 * together; a 404/410 or a refusal backs off from an hour, a passing 5xx or timeout from
 * 5 minutes; Retry-After is honoured. A failing feed is never dropped: it is retried at
 * least once a day.
 */

export const MIN_INTERVAL_S = 5 * 60;
/** No feed, failing or hinted, waits longer than a day. */
export const MAX_INTERVAL_S = 24 * 60 * 60;
const WEEK_MS = 7 * 24 * 60 * 60 * 1000;

/** Bounds of the adaptive interval, in seconds (POLL_MIN/MAX_INTERVAL_MINUTES). */
export interface IntervalBounds {
  minS: number;
  maxS: number;
}

export const DEFAULT_BOUNDS: IntervalBounds = { minS: 5 * 60, maxS: 60 * 60 };

const clamp = (value: number, min: number, max: number) => Math.min(max, Math.max(min, value));

export interface SuccessHints {
  /** Publication times (epoch ms) of the items now in the feed; null when the body was not re-read. */
  publishedTimes: number[] | null;
  previousIntervalS: number | null;
  maxAgeSeconds: number | null;
  ttlMinutes: number | null;
  /** The interval the user chose for this feed; null to adapt. */
  overrideS?: number | null;
}

/** The publisher's own floor (max-age, <ttl>), capped at a day; 0 when it gave none. */
export function publisherFloor(hints: Pick<SuccessHints, "maxAgeSeconds" | "ttlMinutes">): number {
  return Math.min(MAX_INTERVAL_S, Math.max(hints.maxAgeSeconds ?? 0, (hints.ttlMinutes ?? 0) * 60));
}

export function intervalAfterSuccess(
  hints: SuccessHints,
  now: number,
  bounds: IntervalBounds = DEFAULT_BOUNDS,
): number {
  let interval: number;
  if (hints.overrideS) {
    interval = hints.overrideS;
  } else if (hints.publishedTimes === null) {
    interval = clamp(hints.previousIntervalS ?? bounds.maxS, bounds.minS, bounds.maxS);
  } else {
    const weekly = hints.publishedTimes.filter((t) => t > now - WEEK_MS && t <= now).length;
    interval = clamp(weekly === 0 ? bounds.maxS : Math.round(WEEK_MS / 1000 / weekly), bounds.minS, bounds.maxS);
  }
  return Math.max(interval, publisherFloor(hints));
}

/** Errors that will not fix themselves soon: back off from an hour, not from minutes. */
export function isPersistentError(errorClass: string): boolean {
  if (errorClass === "http_429" || errorClass === "http_408") return false;
  if (/^http_4\d\d$/.test(errorClass)) return true;
  return [
    "refused",
    "too_large",
    "too_many_redirects",
    "redirect_loop",
    "bad_redirect",
    "not_a_feed",
    "malformed",
  ].includes(errorClass);
}

export function intervalAfterFailure(
  errorClass: string,
  consecutiveFailures: number,
  retryAfterSeconds: number | null,
  random: () => number = Math.random,
): number {
  if (errorClass === "http_410") return MAX_INTERVAL_S; // Gone: the publisher said so; check daily.
  const base = isPersistentError(errorClass) ? 60 * 60 : MIN_INTERVAL_S;
  const exponential = base * 2 ** Math.min(Math.max(consecutiveFailures - 1, 0), 16);
  // "Equal jitter": half fixed, half random, so retries spread out but still grow.
  const jittered = exponential / 2 + (random() * exponential) / 2;
  return Math.round(clamp(Math.max(jittered, retryAfterSeconds ?? 0), MIN_INTERVAL_S, MAX_INTERVAL_S));
}

/**
 * Spreads successful checks so feeds added together drift apart: up to 10 % sooner, never
 * later, so the upper bound holds, and never below the floor the interval already respects.
 */
export function jitter(seconds: number, floor: number, random: () => number = Math.random): number {
  return Math.max(floor, Math.round(seconds * (0.9 + random() * 0.1)));
}
