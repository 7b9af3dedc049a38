/**
 * When to try a delivery again. Pure functions; the consumer passes in the clock and the
 * random source.
 */

/**
 * Seconds to wait before each attempt: attempt 1 at once, then 5 s, 5 min, 30 min, 2 h, 5 h,
 * 10 h, 14 h, 20 h and 24 h after each failure (the Standard Webhooks / Svix style, stretched
 * so the last attempt comes about three days after the first). WEBHOOK_RETRY_SCHEDULE overrides it.
 */
export const DEFAULT_RETRY_SCHEDULE: readonly number[] = [
  0, 5, 300, 1_800, 7_200, 18_000, 36_000, 50_400, 72_000, 86_400,
];

/** The longest wait between two attempts, whatever the schedule or a Retry-After asks for. */
export const MAX_DELAY_SECONDS = 86_400;

/**
 * The longest delay we put on one queue message (Cloudflare documents 12 h for
 * `delaySeconds`). A longer wait takes several hops: a message that arrives before its
 * delivery is due is sent on again for the rest of the wait.
 */
export const MAX_QUEUE_DELAY_SECONDS = 43_200;

/** The `delivery_attempts` row of an attempt whose result was never written is taken over after this. */
export const ATTEMPT_LEASE_SECONDS = 60;

export function retrySchedule(configured: number[] | null): readonly number[] {
  return configured && configured.length > 0 ? configured : DEFAULT_RETRY_SCHEDULE;
}

/** Seconds before the first attempt. */
export function firstDelay(schedule: readonly number[]): number {
  return Math.min(MAX_DELAY_SECONDS, schedule[0] ?? 0);
}

/**
 * Seconds before the attempt after failed attempt `attempt` (1-based), or null when that was
 * the last one. Jitter of up to +20% spreads retries of many deliveries that failed together
 * (a receiver coming back up) without ever retrying earlier than the schedule says; a
 * Retry-After from the receiver is a floor.
 */
export function nextDelay(
  schedule: readonly number[],
  attempt: number,
  retryAfterSeconds: number | null,
  random: () => number = Math.random,
): number | null {
  const base = schedule[attempt];
  if (base === undefined) return null;
  const jittered = Math.round(base * (1 + 0.2 * random()));
  return Math.min(MAX_DELAY_SECONDS, Math.max(jittered, retryAfterSeconds ?? 0));
}

/**
 * Reads Retry-After (RFC 9110 §10.2.3): delay-seconds or an HTTP-date. Returns seconds from
 * `now`, or null when absent or unreadable.
 */
export function parseRetryAfter(value: string | null, now: Date): number | null {
  if (value === null) return null;
  const text = value.trim();
  if (/^\d+$/.test(text)) return Number(text);
  // Every HTTP-date form (IMF-fixdate, RFC 850, asctime) names the month in letters.
  if (!/\b(jan|feb|mar|apr|may|jun|jul|aug|sep|oct|nov|dec)/i.test(text)) return null;
  const date = Date.parse(text);
  if (Number.isNaN(date)) return null;
  return Math.max(0, Math.ceil((date - now.getTime()) / 1000));
}
