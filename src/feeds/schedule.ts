/**
 * When to check a feed next. Pure functions of what the last check saw.
 *
 * Success: Miniflux's rule (7 days ÷ entries published in the last 7 days), bounded to
 * 5 min–24 h, never sooner than the publisher's own hint (Cache-Control max-age, RSS <ttl>).
 * Failure: exponential backoff with jitter, so feeds that failed together do not retry
 * together; a 404/410 or a refusal backs off from an hour, a passing 5xx or timeout from
 * 5 minutes; Retry-After is honoured. A failing feed is never dropped: it is retried at
 * least once a day.
 */

export const MIN_INTERVAL_S = 5 * 60;
export const MAX_INTERVAL_S = 24 * 60 * 60;
const WEEK_MS = 7 * 24 * 60 * 60 * 1000;
/** Interval for a feed we know nothing about yet. */
export const DEFAULT_INTERVAL_S = 60 * 60;

const clamp = (value: number, min: number, max: number) => Math.min(max, Math.max(min, value));

export interface SuccessHints {
  /** Publication times (epoch ms) of the items now in the feed; null when the body was not re-read. */
  publishedTimes: number[] | null;
  previousIntervalS: number | null;
  maxAgeSeconds: number | null;
  ttlMinutes: number | null;
}

export function intervalAfterSuccess(hints: SuccessHints, now: number): number {
  let interval: number;
  if (hints.publishedTimes === null) {
    interval = hints.previousIntervalS ?? DEFAULT_INTERVAL_S;
  } else {
    const weekly = hints.publishedTimes.filter((t) => t > now - WEEK_MS && t <= now).length;
    interval = weekly === 0 ? MAX_INTERVAL_S : Math.round(WEEK_MS / 1000 / weekly);
  }
  const hint = Math.max(hints.maxAgeSeconds ?? 0, (hints.ttlMinutes ?? 0) * 60);
  return clamp(Math.max(interval, hint), MIN_INTERVAL_S, MAX_INTERVAL_S);
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

/** Spreads successful checks ±10 % so feeds added together drift apart. */
export function jitter(seconds: number, random: () => number = Math.random): number {
  return Math.round(clamp(seconds * (0.9 + random() * 0.2), MIN_INTERVAL_S, MAX_INTERVAL_S));
}
