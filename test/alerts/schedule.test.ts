import { describe, expect, it } from "vitest";
import {
  DEFAULT_RETRY_SCHEDULE,
  MAX_DELAY_SECONDS,
  nextDelay,
  parseRetryAfter,
  retrySchedule,
} from "../../src/alerts/schedule";

describe("retry schedule", () => {
  it("retries for at least 24 hours by default, each wait within the queue's 24 h delay limit", () => {
    const total = DEFAULT_RETRY_SCHEDULE.reduce((a, b) => a + b, 0);
    expect(total).toBeGreaterThanOrEqual(86_400);
    expect(Math.max(...DEFAULT_RETRY_SCHEDULE)).toBeLessThanOrEqual(MAX_DELAY_SECONDS);
    expect(DEFAULT_RETRY_SCHEDULE[0]).toBe(0);
    // Exponential-ish: never shorter than the wait before.
    for (let i = 1; i < DEFAULT_RETRY_SCHEDULE.length; i++) {
      expect(DEFAULT_RETRY_SCHEDULE[i]).toBeGreaterThanOrEqual(DEFAULT_RETRY_SCHEDULE[i - 1] ?? 0);
    }
  });

  it("is overridden by WEBHOOK_RETRY_SCHEDULE", () => {
    expect(retrySchedule([0, 1, 2])).toEqual([0, 1, 2]);
    expect(retrySchedule(null)).toBe(DEFAULT_RETRY_SCHEDULE);
  });

  it("adds up to 20% jitter, never less than the schedule, and stops after the last attempt", () => {
    const schedule = [0, 300, 1800];
    expect(nextDelay(schedule, 1, null, () => 0)).toBe(300);
    expect(nextDelay(schedule, 1, null, () => 0.999)).toBe(360);
    expect(nextDelay(schedule, 2, null, () => 0.5)).toBe(1980);
    expect(nextDelay(schedule, 3, null)).toBeNull();
    const spread = new Set(Array.from({ length: 50 }, () => nextDelay(schedule, 2, null)));
    expect(spread.size).toBeGreaterThan(5);
  });

  it("takes Retry-After as a floor, capped at the queue's 24 h limit", () => {
    expect(nextDelay([0, 1, 2], 1, 120, () => 0)).toBe(120);
    expect(nextDelay([0, 600], 1, 120, () => 0)).toBe(600);
    expect(nextDelay([0, 1], 1, 10 * 86_400, () => 0)).toBe(MAX_DELAY_SECONDS);
  });

  it("reads Retry-After as seconds or an HTTP date (RFC 9110 §10.2.3)", () => {
    const now = new Date("2025-08-08T12:00:00Z");
    expect(parseRetryAfter("120", now)).toBe(120);
    expect(parseRetryAfter(" 0 ", now)).toBe(0);
    expect(parseRetryAfter("Fri, 08 Aug 2025 12:05:00 GMT", now)).toBe(300);
    expect(parseRetryAfter("Fri, 08 Aug 2025 11:00:00 GMT", now)).toBe(0);
    expect(parseRetryAfter("soon", now)).toBeNull();
    expect(parseRetryAfter("-5", now)).toBeNull();
    expect(parseRetryAfter(null, now)).toBeNull();
  });
});
