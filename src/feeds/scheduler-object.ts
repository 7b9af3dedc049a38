import { DurableObject } from "cloudflare:workers";
import type { FeedRow } from "../store/feeds";
import {
  closeRun,
  createSchedulerSchema,
  type FeedFinish,
  type FeedSchedule,
  finishFeeds,
  forgetFeedSchedule,
  forgetRunsBefore,
  holdsLease,
  objectCheckHolds,
  queuedFeeds,
  type RunTotals,
  readSchedules,
  runFeeds,
  runTotals,
  setNextCheck,
  type TakeRequest,
  takeFeeds,
} from "../store/scheduler-storage";

/** Whether a run still holds a feed's lease, and the feed's schedule as the scheduler object keeps it. */
export interface FeedLease {
  held: boolean;
  schedule: FeedSchedule | null;
}

/**
 * The scheduler's one object (idFromName("scheduler")): the leases runs hold on feeds, each
 * run's per-feed bookkeeping, and each feed's schedule as its last check left it (last check,
 * its status, next check, interval). A check writes these every time, so they live here and
 * an unchanged check writes nothing to D1; D1 keeps the feeds' configuration, their health
 * (written when it changes), items, and runs' public accounting (once per consumer batch).
 * Native RPC, SQLite-backed storage. Every method is synchronous inside the object, so each
 * runs alone and whole: two overlapping ticks cannot take the same feed.
 */
export class FeedScheduler extends DurableObject<Env> {
  constructor(ctx: DurableObjectState, env: Env) {
    super(ctx, env);
    ctx.blockConcurrencyWhile(async () => {
      createSchedulerSchema(ctx.storage);
    });
  }

  /** Leases the feeds a run takes (see takeFeeds); their ids, in the order D1 listed them. */
  take(request: TakeRequest): string[] {
    return takeFeeds(this.ctx.storage, request);
  }

  /**
   * For each (run, feed): whether the run still holds the feed's lease, with the feed's
   * schedule as this object keeps it. A consumer asks for its whole batch at once.
   */
  leases(polls: Array<{ runId: string; feedId: string }>): FeedLease[] {
    return polls.map(({ runId, feedId }) => ({
      held: holdsLease(this.ctx.storage, runId, feedId),
      schedule: readSchedules(this.ctx.storage, [feedId], true)[0] ?? null,
    }));
  }

  /** Finishes feeds of a run once each and keeps their schedules; the run's totals after. */
  finish(runId: string, finishes: FeedFinish[]): RunTotals | null {
    return finishFeeds(this.ctx.storage, runId, finishes);
  }

  totals(runId: string): RunTotals | null {
    return runTotals(this.ctx.storage, runId);
  }

  /** Ends a run: its unfinished feeds fail and are released. */
  close(runId: string, now: string): { totals: RunTotals; released: number } | null {
    return closeRun(this.ctx.storage, runId, now);
  }

  schedules(feedIds: string[] | null): FeedSchedule[] {
    return readSchedules(this.ctx.storage, feedIds);
  }

  /** Moves feeds' next checks (each given with the schedule that holds for it now). */
  reschedule(schedules: FeedSchedule[]): void {
    this.ctx.storage.transactionSync(() => {
      for (const schedule of schedules) setNextCheck(this.ctx.storage, schedule);
    });
  }

  forgetFeed(feedId: string): void {
    forgetFeedSchedule(this.ctx.storage, feedId);
  }

  forgetRunsBefore(cutoff: string, budget?: number): number {
    return forgetRunsBefore(this.ctx.storage, cutoff, budget);
  }

  runFeeds(runId: string): Array<{ feed_id: string; state: "queued" | "checked" | "failed" }> {
    return runFeeds(this.ctx.storage, runId);
  }

  /** Feeds an open run still waits for. */
  queuedFeeds(): string[] {
    return queuedFeeds(this.ctx.storage);
  }
}

/** The scheduler's one object. */
export function scheduler(env: Env): DurableObjectStub<FeedScheduler> {
  return env.SCHEDULER.get(env.SCHEDULER.idFromName("scheduler"));
}

/**
 * A feed's D1 row with what its last check left (this object's, when newer than D1's): its
 * schedule, and the state of its last parsed body where the object has it.
 */
export function withSchedule<
  T extends Pick<
    FeedRow,
    "last_checked_at" | "last_status" | "last_http_status" | "next_check_at" | "check_interval_s"
  >,
>(row: T, schedule: FeedSchedule | null | undefined): T {
  if (!schedule) return row;
  const objectNewer = objectCheckHolds(schedule.last_checked_at, row.last_checked_at);
  const merged: T = objectNewer
    ? {
        ...row,
        last_checked_at: schedule.last_checked_at,
        last_status: schedule.last_status,
        last_http_status: schedule.last_http_status,
        next_check_at: schedule.next_check_at,
        check_interval_s: schedule.check_interval_s,
      }
    : { ...row };
  // The last parsed body's state comes from the object whichever check is newer: D1 writes it
  // only on a health change, so a failed check recorded in D1 (and not in the object) must not
  // bring back an older digest. The mark and the count only move forward: the larger one holds.
  const state = merged as T &
    Partial<Pick<FeedRow, "body_hash" | "items_digest" | "items_seen" | "dispatched_through">>;
  if (schedule.body_hash != null) state.body_hash = schedule.body_hash;
  if (schedule.items_digest != null) state.items_digest = schedule.items_digest;
  if (schedule.items_seen != null) state.items_seen = Math.max(state.items_seen ?? 0, schedule.items_seen);
  if (schedule.dispatched_through != null && schedule.dispatched_through > (state.dispatched_through ?? ""))
    state.dispatched_through = schedule.dispatched_through;
  return merged;
}

/** Feed rows from D1 with their schedules from the scheduler object (one call for all). */
export async function withSchedules<T extends FeedRow>(env: Env, rows: T[], all = false): Promise<T[]> {
  if (rows.length === 0) return rows;
  const schedules = await scheduler(env).schedules(all ? null : rows.map((r) => r.id));
  const byFeed = new Map(schedules.map((s) => [s.feed_id, s]));
  return rows.map((row) => withSchedule(row, byFeed.get(row.id)));
}
