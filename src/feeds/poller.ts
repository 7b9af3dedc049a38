import { enqueueAlert } from "../alerts/enqueue";
import { feedEvent } from "../alerts/events";
import { getConfig } from "../config";
import type { DetectionMessage, StoredItem } from "../contracts";
import { sha256Hex } from "../lib/digest";
import {
  type CheckOutcome,
  type FeedRow,
  getFeed,
  recordFailureStatement,
  recordRedirectStatements,
  recordSuccessStatement,
} from "../store/feeds";
import { knownItems, writeItems } from "../store/items";
import { expectDetectionStatement, publishRunStatements } from "../store/runs";
import type { FeedFinish, FeedSchedule } from "../store/scheduler-storage";
import { dispatchItemBatch } from "../storylines/dispatch";
import { type FetchFeedOptions, fetchFeed, type Validators } from "./fetch";
import { contentHash, type NormalisedItem, normaliseItems } from "./normalise";
import { FeedParseError, parseFeed } from "./parse";
import { intervalAfterFailure, intervalAfterSuccess, jitter, publisherFloor } from "./schedule";
import { runCounts } from "./scheduler";
import { type FeedLease, scheduler, withSchedule } from "./scheduler-object";

/** An item's fingerprint in a feed's items digest: its identity and its text, together. */
const itemFingerprint = (item: NormalisedItem) => contentHash(`${item.key}\u0000${item.contentHash}`);

/** A feed's items digest (feeds.items_digest): fingerprint → stored publication time; empty when unreadable. */
function readItemsDigest(stored: string | null): Map<string, string> {
  if (!stored) return new Map();
  try {
    return new Map(Object.entries(JSON.parse(stored) as Record<string, string>));
  } catch {
    return new Map(); // a digest that does not parse only costs a full lookup
  }
}

/**
 * What the scheduler object keeps of a check: its time, status and next check, and the state of
 * the feed's last parsed body after it (unchanged unless the check parsed a new body).
 */
function scheduleAfter(feed: FeedRow, outcome: CheckOutcome): FeedSchedule {
  return {
    feed_id: outcome.feedId,
    last_checked_at: outcome.now,
    last_status: outcome.status,
    last_http_status: outcome.httpStatus,
    next_check_at: outcome.nextCheckAt,
    check_interval_s: outcome.intervalSeconds,
    body_hash: outcome.bodyHash ?? feed.body_hash,
    items_digest: outcome.itemsDigest ?? feed.items_digest,
    items_seen: feed.items_seen + (outcome.itemsNew ?? 0),
    dispatched_through: outcome.dispatchedThrough ?? feed.dispatched_through,
  };
}

/**
 * Whether a successful check changes anything D1 keeps of the feed: its health, its title or
 * site, its publisher floor. What every check changes (time, status, next check) and what a
 * check with news changes (body hash, items digest, items seen, dispatched-through) the
 * scheduler object keeps: a check of a healthy feed, with news or without, then writes no
 * feed row to D1.
 */
function healthChanges(feed: FeedRow, outcome: CheckOutcome): boolean {
  return (
    feed.first_checked_at === null ||
    feed.consecutive_failures !== 0 ||
    feed.failing_since !== null ||
    feed.last_error !== null ||
    (feed.title === null && (outcome.title ?? null) !== null) ||
    ((outcome.siteUrl ?? null) !== null && outcome.siteUrl !== feed.site_url) ||
    (outcome.hintFloorSeconds ?? null) !== feed.hint_floor_s
  );
}

/** A message on the `polls` queue: "check this feed for this run". */
export interface PollMessage {
  runId: string;
  feedId: string;
}

export function isPollMessage(value: unknown): value is PollMessage {
  if (typeof value !== "object" || value === null) return false;
  const message = value as Record<string, unknown>;
  return typeof message.runId === "string" && typeof message.feedId === "string";
}

/** Workers allow 6 simultaneous outgoing connections per invocation. */
export const MAX_FETCHES_IN_FLIGHT = 6;
/** How long a run holds its feeds; once expired, the next tick may take the ones it has not finished. */
export const LEASE_MS = 30 * 60_000;
/** consecutive_failures at which a feed.failing alert goes out (and from which recovery is news). */
export const FAILING_THRESHOLD = 3;

/** KV key of a feed's ETag and Last-Modified. */
export const validatorsKey = (feedId: string) => `feed-validators:${feedId}`;

export type PollResult =
  | { state: "skipped" }
  | { state: "checked"; status: string; itemsNew: number; itemsUpdated: number; detections: number }
  | { state: "failed"; status: string; error: string };

async function readValidators(env: Env, feed: FeedRow): Promise<Validators | null> {
  // Without a stored body hash there is nothing to compare a 304 against: fetch in full.
  if (!feed.body_hash) return null;
  return env.CACHE.get<Validators>(validatorsKey(feed.id), "json");
}

async function storeValidators(env: Env, feedId: string, previous: Validators | null, next: Validators): Promise<void> {
  if (!next.etag && !next.lastModified) {
    if (previous) await env.CACHE.delete(validatorsKey(feedId));
    return;
  }
  if (previous?.etag === next.etag && previous?.lastModified === next.lastModified) return;
  await env.CACHE.put(validatorsKey(feedId), JSON.stringify(next), { expirationTtl: 30 * 24 * 60 * 60 });
}

/**
 * One feed's check, done but not yet committed: the D1 statements that record what changed
 * of its health (none when nothing did), its finish in the run with the schedule it set, and
 * what to do once they are committed.
 */
export interface FeedCheck {
  result: PollResult;
  runId: string;
  statements: D1PreparedStatement[];
  finish: FeedFinish;
  afterCommit?: () => Promise<void>;
}

/**
 * Commits checks: first, in one D1 transaction, each feed's changed health and the
 * detections it queued; then the scheduler object finishes the feeds in their runs, each
 * once, and keeps their schedules; last, each run's counts are published to D1 in one write
 * per run (completing it with its last feed). A crash before the object's finish leaves every
 * feed leased and queued in its run, so the retried messages redo the checks (their D1
 * writes are idempotent); a crash after it leaves only the publication, which the retried
 * messages (skipped: already finished) make again from the object's counts.
 */
export async function commitFeedChecks(env: Env, checks: FeedCheck[]): Promise<void> {
  if (checks.length === 0) return;
  const statements = checks.flatMap((check) => check.statements);
  if (statements.length > 0) await env.DB.batch(statements);
  await finishInRuns(
    env,
    checks.map((check) => ({ runId: check.runId, finish: check.finish })),
  );
  for (const check of checks) {
    // What follows the commit only saves work later (validators): its failure is logged, not retried.
    await check
      .afterCommit?.()
      .catch((error: unknown) => console.error(`feed ${check.finish.feedId}: after commit`, error));
  }
}

/** Finishes feeds in their runs in the scheduler object (each once), then publishes each run's counts to D1 (one write per run). */
export async function finishInRuns(env: Env, finishes: Array<{ runId: string; finish: FeedFinish }>): Promise<void> {
  const byRun = new Map<string, FeedFinish[]>();
  for (const { runId, finish } of finishes) byRun.set(runId, [...(byRun.get(runId) ?? []), finish]);
  const object = scheduler(env);
  const publish: D1PreparedStatement[] = [];
  for (const [runId, runFinishes] of byRun) {
    const totals = await object.finish(runId, runFinishes);
    const lastFinish =
      runFinishes
        .map((f) => f.now)
        .sort()
        .at(-1) ?? new Date().toISOString();
    if (totals) publish.push(...publishRunStatements(env.DB, runCounts(totals), lastFinish));
  }
  if (publish.length > 0) await env.DB.batch(publish);
}

/** Checks one feed of one run and commits it on its own (the consumer commits a batch at once). */
export async function pollFeed(
  env: Env,
  message: PollMessage,
  now: Date = new Date(),
  fetchOptions: Partial<FetchFeedOptions> = {},
): Promise<PollResult> {
  const check = await checkFeed(env, message, now, fetchOptions);
  await commitFeedChecks(env, [check]);
  return check.result;
}

/**
 * Fetch → parse → normalise → write → match, for one feed of one run: the matched items go
 * on the `detections` queue, and the feed's health is about fetching and parsing only.
 * Items are written and detections queued here; the feed's outcome, its finish in the run
 * and the run's record of the detections it queued are returned to be committed together.
 */
export async function checkFeed(
  env: Env,
  message: PollMessage,
  now: Date = new Date(),
  fetchOptions: Partial<FetchFeedOptions> = {},
  /** The run's lease on the feed, when the caller asked the scheduler object for a batch's at once. */
  heldLease?: FeedLease,
): Promise<FeedCheck> {
  const { runId, feedId } = message;
  const db = env.DB;
  const nowIso = now.toISOString();
  // When this poll finishes: `now` (the check's time, injectable) plus the time it took, so a
  // run's finished_at is when its last poll ended, not when it started.
  const startedWall = Date.now();
  const finishedIso = () => new Date(now.getTime() + (Date.now() - startedWall)).toISOString();
  const lease = heldLease ?? (await scheduler(env).leases([{ runId, feedId }]))[0];
  const row = lease?.held ? await getFeed(db, feedId) : null;
  if (!row) {
    // Already finished for this run (a redelivered message), or deleted, or its lease expired and
    // a later run holds it (that run polls it), or the run ended. Finishing is once per feed, so
    // this changes nothing in the first case and lets the run complete in the others.
    return {
      result: { state: "skipped" },
      runId,
      statements: [],
      finish: { feedId, state: "checked", itemsNew: 0, now: finishedIso(), schedule: null },
    };
  }
  // The check's time, status and next check as the object keeps them (D1 has them as of the last change).
  const feed = withSchedule(row, lease?.schedule);

  const config = getConfig(env);
  const previousValidators = await readValidators(env, feed);
  const fetched = await fetchFeed(feed.url, {
    allowPrivateNetwork: config.allowPrivateNetwork,
    validators: previousValidators,
    ...fetchOptions,
  });

  let detections: DetectionMessage[] = [];
  let dispatched = false;
  let validatorsToKeep: Validators | null = null;
  // Alerts go out before the feed's outcome is committed: if queueing the alert fails, the
  // message is retried with the lease and the run's record untouched, and the alert's stable
  // id makes a second enqueue a no-op. Outcome and run accounting commit in one batch.
  const fail = async (
    status: string,
    httpStatus: number | null,
    error: string,
    retryAfter: number | null,
  ): Promise<FeedCheck> => {
    const failures = feed.consecutive_failures + 1;
    const interval = intervalAfterFailure(status, failures, retryAfter);
    // An expected failure (network, HTTP status, not a feed) is one line with its reason.
    console.warn(`feed ${feedId} (${feed.url}): ${status}: ${error}`);
    if (failures === FAILING_THRESHOLD) {
      const failing: FeedRow = {
        ...feed,
        consecutive_failures: failures,
        failing_since: feed.failing_since ?? nowIso,
        last_checked_at: nowIso,
        last_status: status,
        last_http_status: httpStatus,
        last_error: error,
      };
      await enqueueAlert(env, feedEvent("feed.failing", failing, failing.failing_since, nowIso), now);
    }
    const outcome: CheckOutcome = {
      feedId,
      runId,
      now: nowIso,
      status,
      httpStatus,
      error,
      nextCheckAt: new Date(now.getTime() + interval * 1000).toISOString(),
      intervalSeconds: interval,
      hintFloorSeconds: retryAfter,
    };
    return {
      result: { state: "failed", status, error },
      runId,
      statements: [recordFailureStatement(db, outcome)],
      finish: { feedId, state: "failed", itemsNew: 0, now: finishedIso(), schedule: scheduleAfter(feed, outcome) },
    };
  };

  const succeed = async (
    outcome: Omit<CheckOutcome, "feedId" | "runId" | "now">,
    itemsUpdated: number,
  ): Promise<FeedCheck> => {
    const full: CheckOutcome = {
      ...outcome,
      feedId,
      runId,
      now: nowIso,
      ...(dispatched ? { dispatchedThrough: nowIso } : {}),
    };
    if (feed.consecutive_failures >= FAILING_THRESHOLD) {
      const recovered: FeedRow = {
        ...feed,
        consecutive_failures: 0,
        failing_since: null,
        last_checked_at: nowIso,
        last_status: outcome.status,
        last_http_status: outcome.httpStatus,
        last_error: null,
      };
      await enqueueAlert(env, feedEvent("feed.recovered", recovered, feed.failing_since, nowIso), now);
    }
    const statements = [
      ...recordRedirectStatements(db, {
        feedId,
        runId,
        now: nowIso,
        from: feed.url,
        target: permanentRedirect,
        checks: permanentRedirect !== null && permanentRedirect === feed.redirect_url ? feed.redirect_checks + 1 : 1,
        previous: { url: feed.redirect_url, checks: feed.redirect_checks },
      }),
      ...(healthChanges(feed, full) ? [recordSuccessStatement(db, { ...full, itemsSeen: feed.items_seen })] : []),
      // Before the feed's mark (commitFeedChecks puts the marks last), so the run cannot
      // complete ahead of these detections.
      ...detections.map((d) => expectDetectionStatement(db, { runId, key: d.key, storylineId: d.storylineId })),
    ];
    const keep = validatorsToKeep;
    return {
      result: {
        state: "checked",
        status: outcome.status,
        itemsNew: outcome.itemsNew ?? 0,
        itemsUpdated,
        detections: detections.length,
      },
      runId,
      statements,
      finish: {
        feedId,
        state: "checked",
        itemsNew: outcome.itemsNew ?? 0,
        now: finishedIso(),
        schedule: scheduleAfter(feed, full),
      },
      ...(keep ? { afterCommit: () => storeValidators(env, feedId, previousValidators, keep) } : {}),
    };
  };

  // Where permanent redirects led this time (counted on successful checks only).
  const permanentRedirect = fetched.kind === "error" ? null : (fetched.permanentRedirect ?? null);

  if (fetched.kind === "error") {
    return fail(fetched.errorClass, fetched.status, fetched.message, fetched.retryAfterSeconds);
  }

  const { pollIntervalBounds } = config;
  // Interval and publisher floor of a successful check, jittered (never below either bound it respects).
  const scheduleNext = (publishedTimes: number[] | null, ttlMinutes: number | null) => {
    const hints = {
      publishedTimes,
      previousIntervalS: feed.check_interval_s,
      maxAgeSeconds: fetched.maxAgeSeconds,
      ttlMinutes,
      overrideS: feed.poll_interval_s,
    };
    const floor = publisherFloor(hints);
    const interval = jitter(
      intervalAfterSuccess(hints, now.getTime(), pollIntervalBounds),
      Math.max(floor, Math.min(pollIntervalBounds.minS, feed.poll_interval_s ?? pollIntervalBounds.minS)),
    );
    return {
      nextCheckAt: new Date(now.getTime() + interval * 1000).toISOString(),
      intervalSeconds: interval,
      hintFloorSeconds: floor || null,
    };
  };

  if (fetched.kind === "not_modified") {
    return succeed({ status: "not_modified", httpStatus: 304, error: null, ...scheduleNext(null, null) }, 0);
  }

  // A 200 with the very body we parsed last time: no parse, no item reads or writes.
  const bodyHash = await sha256Hex(fetched.body);
  // Validators are kept only once this body's items are safely stored, or a crash in between
  // would turn the next check into a 304 for a body we never read.
  validatorsToKeep = fetched.validators;
  if (bodyHash === feed.body_hash) {
    return succeed({ status: "unchanged", httpStatus: fetched.status, error: null, ...scheduleNext(null, null) }, 0);
  }

  let parsed: ReturnType<typeof parseFeed>;
  try {
    parsed = parseFeed(fetched.body, { url: fetched.finalUrl, contentType: fetched.contentType });
  } catch (error) {
    if (error instanceof FeedParseError) return fail(error.reason, fetched.status, error.message, null);
    throw error;
  }

  const items = await normaliseItems(parsed, now);
  // Items the last parsed body already held with this very text were settled then: only the
  // others are looked up, by key (so a body with a few new items reads a few rows, not the feed).
  const digest = readItemsDigest(feed.items_digest);
  const fingerprints = items.map(itemFingerprint);
  const known = await knownItems(
    db,
    feedId,
    items.filter((_, index) => !digest.has(fingerprints[index] as string)).map((item) => item.key),
  );
  const feedTitle = feed.title ?? parsed.title;
  const changed: NormalisedItem[] = [];
  // Written by an earlier attempt that died before matching finished: hand them on again.
  const undispatched: StoredItem[] = [];
  for (const [index, item] of items.entries()) {
    if (digest.has(fingerprints[index] as string)) continue;
    const existing = known.get(item.key);
    if (!existing) changed.push(item);
    else if (existing.pruned) continue;
    else if (existing.contentHash !== item.contentHash) changed.push(item);
    // Written by a check that died before matching took it (feeds.dispatched_through).
    else if (existing.updatedAt > (feed.dispatched_through ?? "")) {
      undispatched.push({
        id: existing.id,
        feedId,
        feedTitle,
        url: item.url,
        title: item.title,
        summary: item.summary,
        content: item.content,
        author: item.author,
        publishedAt: existing.publishedAt ?? existing.firstSeenAt,
        firstSeenAt: existing.firstSeenAt,
        baseline: existing.baseline,
        updated: existing.updatedAt !== existing.firstSeenAt,
      });
    }
  }
  const written =
    changed.length > 0
      ? await writeItems(db, changed, { feedId, feedTitle, now: nowIso, baseline: feed.first_checked_at === null })
      : [];
  const stored = [...written, ...undispatched];
  const itemsNew = stored.filter((item) => !item.updated).length;
  if (stored.length > 0) detections = await dispatchItemBatch(env, { runId, feedId, items: stored });
  dispatched = stored.length > 0;

  // Publication times for the rate; an undated item counts at the time we first saw it.
  const storedPublished = items.map(
    (item, index) => digest.get(fingerprints[index] as string) ?? known.get(item.key)?.publishedAt ?? item.publishedAt,
  );
  const publishedTimes = storedPublished.map((at) => Date.parse(at));
  const itemsDigest = JSON.stringify(Object.fromEntries(fingerprints.map((fp, index) => [fp, storedPublished[index]])));
  return succeed(
    {
      status: "ok",
      httpStatus: fetched.status,
      error: null,
      ...scheduleNext(publishedTimes, parsed.ttlMinutes),
      bodyHash,
      title: parsed.title,
      siteUrl: parsed.siteUrl,
      itemsNew,
      itemsDigest,
    },
    stored.length - itemsNew,
  );
}

/** Runs `work` over `items` with at most `limit` in flight. */
export async function forEachLimited<T>(
  items: readonly T[],
  limit: number,
  work: (item: T) => Promise<void>,
): Promise<void> {
  let next = 0;
  const lanes = Array.from({ length: Math.min(limit, items.length) }, async () => {
    while (next < items.length) {
      const item = items[next++] as T;
      await work(item);
    }
  });
  await Promise.all(lanes);
}

/** The `polls` queue consumer: a batch of feeds, at most 6 fetches in flight, committed together. */
export async function handlePollBatch(batch: MessageBatch<unknown>, env: Env): Promise<void> {
  const checked: Array<{ message: Message<unknown>; check: FeedCheck }> = [];
  const retry = (message: Message<unknown>) =>
    message.retry({ delaySeconds: Math.min(300, 10 * 2 ** message.attempts) });
  const polls = batch.messages.filter((message) => {
    if (isPollMessage(message.body)) return true;
    console.error("polls: dropping a message that is not a poll", message.body);
    message.ack();
    return false;
  });
  // Every lease of the batch in one call to the scheduler object (one request, not one per feed).
  let leases: FeedLease[];
  try {
    leases = await scheduler(env).leases(polls.map((message) => message.body as PollMessage));
  } catch (error) {
    console.error(`polls: could not confirm ${polls.length} leases; they are retried`, error);
    for (const message of polls) retry(message);
    return;
  }
  const leaseOf = new Map(polls.map((message, index) => [message, leases[index]]));
  await forEachLimited(polls, MAX_FETCHES_IN_FLIGHT, async (message) => {
    if (!isPollMessage(message.body)) return;
    try {
      checked.push({
        message,
        check: await checkFeed(env, message.body, new Date(), {}, leaseOf.get(message)),
      });
    } catch (error) {
      // Unexpected (D1 or a later stage failed): retry later; finishing once per feed keeps it exactly-once.
      console.error(`polls: feed ${message.body.feedId} of run ${message.body.runId} failed`, error);
      retry(message);
    }
  });
  try {
    await commitFeedChecks(
      env,
      checked.map(({ check }) => check),
    );
    for (const { message } of checked) message.ack();
  } catch (error) {
    console.error(`polls: could not commit ${checked.length} checked feeds; they are retried`, error);
    for (const { message } of checked) retry(message);
  }
}

/**
 * The `polls-dlq` consumer: a poll that exhausted its retries still finishes its feed in the
 * run (as failed) and releases the lease, so the run completes and the feed is rescheduled.
 */
export async function handlePollDeadLetters(
  batch: MessageBatch<unknown>,
  env: Env,
  now: Date = new Date(),
): Promise<void> {
  for (const message of batch.messages) {
    if (isPollMessage(message.body)) {
      const { runId, feedId } = message.body;
      const row = await getFeed(env.DB, feedId);
      const nowIso = now.toISOString();
      let schedule: FeedFinish["schedule"] = null;
      const lease = (await scheduler(env).leases([{ runId, feedId }]))[0];
      // A run that no longer holds the feed (swept, its feeds released and maybe taken by a
      // newer run) records nothing of it: the newer run's check is the feed's news.
      if (row && lease?.held) {
        const feed = withSchedule(row, lease.schedule);
        const interval = intervalAfterFailure("poll_failed", feed.consecutive_failures + 1, null);
        const outcome: CheckOutcome = {
          feedId,
          runId,
          now: nowIso,
          status: "poll_failed",
          httpStatus: null,
          error: "the poll kept failing inside storywatch and was given up for this run",
          nextCheckAt: new Date(now.getTime() + interval * 1000).toISOString(),
          intervalSeconds: interval,
        };
        await env.DB.batch([recordFailureStatement(env.DB, outcome)]);
        schedule = scheduleAfter(feed, outcome);
      }
      await finishInRuns(env, [{ runId, finish: { feedId, state: "failed", itemsNew: 0, now: nowIso, schedule } }]);
    }
    message.ack();
  }
}
