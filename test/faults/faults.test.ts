import {
  createExecutionContext,
  createMessageBatch,
  env,
  getQueueResult,
  runInDurableObject,
  waitOnExecutionContext,
} from "cloudflare:test";
import { beforeEach, describe, expect, it, vi } from "vitest";
import type { PollMessage } from "../../src/feeds/poller";
import { runTick } from "../../src/feeds/scheduler";
import { scheduler } from "../../src/feeds/scheduler-object";
import worker from "../../src/index";
import { deliveriesOf } from "../alerts/helpers";
import { heldFeeds, resetFeedTables, startRunWithoutQueue, undispatchedItems, waitForRun } from "../feeds/helpers";
import { api } from "../helpers/api";
import { type FakeInternet, fakeInternet } from "../helpers/fake-internet";
import {
  CORPUS_FEEDS,
  cron,
  cronTime,
  expectCaughtUp,
  expectedItems,
  expectSameAsClean,
  type Outcome,
  outcome,
  type Scenario,
  setupScenario,
  TICKS,
  waitForAllRuns,
  waitForDeliveries,
} from "./scenario";

// Every test runs the corpus ticks end to end (fake publishers → cron → polls queue → poller
// → matching → detections queue → Storyline objects → deliveries queue → fake receiver) under one fault, and
// compares the result with a clean run of the same ticks.

beforeEach(async () => {
  await resetFeedTables();
});

/**
 * The clean runs and what they had after each tick; made once, by the first test that needs
 * them. Two: driven by cron through the local queues, and by the poll consumer called
 * directly (as the tests that break the consumer do). Which outlet's report reaches a
 * storyline first can differ between the two, and with it which item names a development.
 */
type Reference = { final: Outcome; afterTick: Outcome[] };
let clean: Promise<Reference> | null = null;
let cleanDirect: Promise<Reference> | null = null;

async function withInternet<T>(work: (internet: FakeInternet) => Promise<T>): Promise<T> {
  const internet = fakeInternet();
  try {
    return await work(internet);
  } finally {
    internet.restore();
  }
}

function cleanRun(): Promise<Reference> {
  clean ??= makeCleanRun("clean", async (tick) => {
    await cron(cronTime(tick));
    await waitForAllRuns();
  });
  return clean;
}

function cleanDirectRun(): Promise<Reference> {
  cleanDirect ??= makeCleanRun("direct", async (tick) => {
    const { run, feedIds } = await startRunWithoutQueue(cronTime(tick));
    expect(await consumePolls(run.id, feedIds)).toEqual({ acked: inOrder(feedIds), retried: [] });
    // The local detections consumer works what the polls queued; the run waits for it.
    expect(await waitForRun(run.id)).toMatchObject({ status: "completed" });
  });
  return cleanDirect;
}

async function makeCleanRun(name: string, runTickOnce: (tick: number) => Promise<void>): Promise<Reference> {
  await resetFeedTables();
  const result = await withInternet(async (internet) => {
    const scenario = await setup(name, internet);
    const afterTick: Outcome[] = [];
    for (let tick = 0; tick < TICKS; tick++) {
      scenario.tick = tick;
      await runTickOnce(tick);
      afterTick.push(await outcome(scenario));
    }
    await waitForDeliveries(scenario);
    return { final: await outcome(scenario), afterTick };
  });
  await resetFeedTables();
  // The clean run itself: every corpus item stored once and matched; news made and delivered.
  expect(result.final.items).toEqual(expectedItems());
  expect(result.final.undispatched).toBe(0);
  for (const keys of Object.values(result.final.developments)) expect(keys.length).toBeGreaterThan(0);
  expect(result.final.deliveries).toBeGreaterThan(0);
  expect(result.final.receivedIds).toBe(result.final.deliveries);
  return result;
}

/**
 * The real queue handler over hand-made polls messages (no local consumer racing the test),
 * one message per batch in corpus feed order: which outlet reaches a storyline first decides
 * which item names a development, so the order is fixed to compare with the clean run.
 */
/** storywatch feed id → its corpus feed's position, for every scenario set up so far. */
const feedOrder = new Map<string, number>();
async function setup(name: string, internet: FakeInternet): Promise<Scenario> {
  const scenario = await setupScenario(name, internet);
  for (const [corpusFeed, feedId] of scenario.feeds) feedOrder.set(feedId, CORPUS_FEEDS.indexOf(corpusFeed));
  return scenario;
}

async function consumePolls(runId: string, feedIds: string[], attempts = 1) {
  const acked: string[] = [];
  const retried: string[] = [];
  const corpusOrder = (feedId: string) => feedOrder.get(feedId) ?? Number.MAX_SAFE_INTEGER;
  for (const feedId of [...feedIds].sort((a, b) => corpusOrder(a) - corpusOrder(b))) {
    const batch = createMessageBatch<PollMessage>("polls", [
      { id: `${runId}-${feedId}-${attempts}`, timestamp: new Date(), attempts, body: { runId, feedId } },
    ]);
    const ctx = createExecutionContext();
    await worker.queue(batch, env, ctx);
    await waitOnExecutionContext(ctx);
    const result = await getQueueResult(batch, ctx);
    if (result.explicitAcks.length === 1) acked.push(feedId);
    if (result.retryMessages.length === 1) retried.push(feedId);
  }
  return { acked, retried };
}

const inOrder = (feedIds: string[]) => [...feedIds].sort((a, b) => (feedOrder.get(a) ?? 0) - (feedOrder.get(b) ?? 0));
const feedsOf = (scenario: Scenario) => [...scenario.feeds.values()].sort();
const storylineOf = (scenario: Scenario, corpusId: string) => scenario.storylines.get(corpusId) ?? "";
const stub = (id: string) => env.STORYLINES.get(env.STORYLINES.idFromName(id));

describe("fault: two overlapping ticks", () => {
  it("two cron ticks and a manual run at once poll each feed once per tick and change nothing", {
    timeout: 180_000,
  }, async () => {
    const reference = await cleanRun();
    await withInternet(async (internet) => {
      const scenario = await setup("overlap", internet);
      for (let tick = 0; tick < TICKS; tick++) {
        scenario.tick = tick;
        const at = cronTime(tick);
        await Promise.all([cron(at), cron(at), runTick(env, "manual", at)]);
        await waitForAllRuns();
      }
      await waitForDeliveries(scenario);
      // Each feed fetched exactly once per tick: the lease let only one run take it.
      for (const feed of CORPUS_FEEDS) expect(internet.requestsTo(scenario.feedUrl(feed))).toHaveLength(TICKS);
      await expectSameAsClean(scenario, reference.final);
    });
  });
});

describe("fault: a poll consumer dies mid-batch", () => {
  it("after its item writes and before its acks: the redelivered messages lose and repeat nothing", {
    timeout: 180_000,
  }, async () => {
    const reference = await cleanDirectRun();
    await withInternet(async (internet) => {
      const scenario = await setup("crash", internet);
      for (let tick = 0; tick < TICKS; tick++) {
        scenario.tick = tick;
        const { run, feedIds } = await startRunWithoutQueue(cronTime(tick));
        expect(feedIds.sort()).toEqual(feedsOf(scenario));
        if (tick === 2) {
          // The consumer dies after writing and matching the items, before the check is
          // recorded (a trigger aborts that write, in the scheduler object that records it):
          // it gives the batch back without acking it.
          await runInDurableObject(scheduler(env), (_instance, state) => {
            state.storage.sql.exec(
              "CREATE TRIGGER poll_crash BEFORE UPDATE ON run_feeds BEGIN SELECT RAISE(ABORT, 'simulated crash'); END",
            );
          });
          const died = await consumePolls(run.id, feedIds);
          expect(died.retried.length).toBeGreaterThan(0);
          // Items not yet handed to matching, by the feeds' marks (kept by the scheduler object).
          const written = { n: (await undispatchedItems(feedIds)).size };
          expect(written?.n).toBeGreaterThan(0);
          await runInDurableObject(scheduler(env), (_instance, state) => {
            state.storage.sql.exec("DROP TRIGGER poll_crash");
          });
          // The queue redelivers what was not acked.
          const again = await consumePolls(run.id, died.retried, 2);
          expect(again).toEqual({ acked: inOrder(died.retried), retried: [] });
        } else {
          expect(await consumePolls(run.id, feedIds)).toEqual({ acked: inOrder(feedIds), retried: [] });
        }
        // Died after every write but before the acks reached the queue: all redelivered.
        expect(await consumePolls(run.id, feedIds, 3)).toEqual({ acked: inOrder(feedIds), retried: [] });
        // Completed once the detections it queued went through.
        expect(await waitForRun(run.id)).toMatchObject({ status: "completed", feeds_checked: CORPUS_FEEDS.length });
      }
      await waitForDeliveries(scenario);
      await expectSameAsClean(scenario, reference.final);
    });
  });
});

/** Corrupts a storyline's saved detector state: every ingest there throws until it is put back. */
async function breakDetector(storylineId: string): Promise<string | null> {
  return runInDurableObject(stub(storylineId), (_instance, state) => {
    const row = state.storage.sql.exec<{ state: string }>("SELECT state FROM detector_state").toArray()[0];
    state.storage.sql.exec(
      `INSERT INTO detector_state (singleton, storyline_id, storyline_created_at, state, saved_at)
       VALUES (1, ?, '2025-01-01T00:00:00.000Z', '{not json', '') ON CONFLICT DO UPDATE SET state = '{not json'`,
      storylineId,
    );
    return row?.state ?? null;
  });
}

/** Every scenario feed as the API shows it: healthy, whatever a storyline's detector did. */
async function expectFeedsHealthy(scenario: Scenario): Promise<void> {
  for (const feedId of scenario.feeds.values()) {
    const feed = (await (await api(`/v1/feeds/${feedId}`)).json()) as Record<string, unknown>;
    expect(feed, feedId).toMatchObject({ last_error: null, failing_since: null, consecutive_failures: 0 });
    expect(["ok", "not_modified", "unchanged"]).toContain(feed.last_status);
  }
}

async function storylineHealth(id: string) {
  const res = await api(`/v1/storylines/${id}`);
  expect(res.status).toBe(200);
  return (await res.json()) as { last_error: string | null; failing_since: string | null };
}

describe("fault: the detector throws for one storyline", () => {
  it("the feeds stay healthy, the other storyline keeps up, the broken one retries and catches up once repaired", {
    timeout: 180_000,
  }, async () => {
    const reference = await cleanDirectRun();
    await withInternet(async (internet) => {
      const scenario = await setup("broken", internet);
      const istanbul = storylineOf(scenario, "istanbul-peace-talks");
      const BROKEN = 3;
      for (let tick = 0; tick < TICKS; tick++) {
        scenario.tick = tick;
        const goodState = tick === BROKEN ? await breakDetector(istanbul) : null;
        const { run, feedIds } = await startRunWithoutQueue(cronTime(tick));
        // The polls go through whatever the detector does: detection is not part of them.
        expect(await consumePolls(run.id, feedIds)).toEqual({ acked: inOrder(feedIds), retried: [] });
        if (tick === BROKEN) {
          // The minerals storyline gets every development of the tick, as in the clean run ...
          await vi.waitFor(
            async () =>
              expect((await outcome(scenario)).developments["us-ukraine-minerals-deal"]).toEqual(
                reference.afterTick[tick]?.developments["us-ukraine-minerals-deal"],
              ),
            { timeout: 10_000, interval: 200 },
          );
          // ... while the Istanbul storyline's failures are its own: its health shows them, no feed's does.
          await vi.waitFor(async () => expect((await storylineHealth(istanbul)).last_error).toBeTruthy(), {
            timeout: 10_000,
            interval: 200,
          });
          expect((await storylineHealth(istanbul)).failing_since).toBeTruthy();
          await expectFeedsHealthy(scenario);
          expect((await outcome(scenario)).developments["istanbul-peace-talks"]).toEqual(
            reference.afterTick[tick - 1]?.developments["istanbul-peace-talks"],
          );
          // The run waits for the storyline's retries.
          expect((await env.DB.prepare("SELECT status FROM runs WHERE id = ?").bind(run.id).first())?.status).toBe(
            "running",
          );
          // Repaired: the queue's next delivery of the failed detections goes through.
          await runInDurableObject(stub(istanbul), (_instance, state) => {
            if (goodState === null) state.storage.sql.exec("DELETE FROM detector_state");
            else state.storage.sql.exec("UPDATE detector_state SET state = ?", goodState);
          });
        }
        expect(await waitForRun(run.id)).toMatchObject({ status: "completed" });
      }
      await waitForDeliveries(scenario);
      expect(await storylineHealth(istanbul)).toMatchObject({ last_error: null, failing_since: null });
      await expectFeedsHealthy(scenario);
      const got = await expectCaughtUp(scenario, reference.final, "istanbul-peace-talks");
      // The storyline that never broke is exactly as in the clean run, alerts included.
      expect(got.developments["us-ukraine-minerals-deal"]).toEqual(
        reference.final.developments["us-ukraine-minerals-deal"],
      );
      expect(got.processed["us-ukraine-minerals-deal"]).toEqual(reference.final.processed["us-ukraine-minerals-deal"]);
      expect(got.alerts["us-ukraine-minerals-deal"]).toEqual(reference.final.alerts["us-ukraine-minerals-deal"]);
      // The broken one alerted each of its developments once (deliveries are per development).
      const broken = await env.DB.prepare(
        "SELECT count(*) AS n FROM developments WHERE storyline_id = ? AND baseline = 0 AND alerted = 1",
      )
        .bind(istanbul)
        .first<{ n: number }>();
      expect(got.alerts["istanbul-peace-talks"]?.filter((a) => a.endsWith("|created"))).toHaveLength(broken?.n ?? -1);
    });
  });

  it("a storyline whose detector always throws leaves every feed healthy and every other storyline alerting", {
    timeout: 180_000,
  }, async () => {
    const reference = await cleanRun();
    await withInternet(async (internet) => {
      const scenario = await setup("always", internet);
      const istanbul = storylineOf(scenario, "istanbul-peace-talks");
      await breakDetector(istanbul);
      for (let tick = 0; tick < TICKS; tick++) {
        scenario.tick = tick;
        await cron(cronTime(tick));
        // Every feed polled (the polls never wait on detection) and every other storyline's
        // detections done, then the next tick; the broken storyline's retries go on meanwhile.
        await vi.waitFor(
          async () => {
            // Feeds queued in a run are the scheduler object's; detections queued, D1's.
            const detections = await env.DB.prepare(
              "SELECT count(*) AS n FROM run_detections WHERE state = 'queued' AND storyline_id <> ?",
            )
              .bind(istanbul)
              .first<{ n: number }>();
            expect((await heldFeeds()).length + (detections?.n ?? -1)).toBe(0);
          },
          { timeout: 30_000, interval: 200 },
        );
      }
      // Every run completes: the broken storyline's batches are retried, then given up.
      await waitForAllRuns();
      const { results: runs } = await env.DB.prepare("SELECT status FROM runs").all();
      expect(runs.length).toBeGreaterThanOrEqual(TICKS);
      for (const run of runs) expect(run.status).toBe("completed");
      // The scenario's feeds were checked every tick (the 404 feeds of storylines.json fail, as they should).
      const failed = await runInDurableObject(scheduler(env), (_instance, state) =>
        state.storage.sql
          .exec<{ n: number }>(
            "SELECT count(*) AS n FROM run_feeds WHERE state <> 'checked' AND feed_id IN (SELECT value FROM json_each(?))",
            JSON.stringify([...scenario.feeds.values()]),
          )
          .one(),
      );
      expect(failed?.n).toBe(0);
      const givenUp = await env.DB.prepare(
        "SELECT count(*) AS n FROM run_detections WHERE storyline_id = ? AND state = 'failed'",
      )
        .bind(istanbul)
        .first<{ n: number }>();
      expect(givenUp?.n).toBeGreaterThan(0);
      await waitForDeliveries(scenario);

      await expectFeedsHealthy(scenario);
      const health = await storylineHealth(istanbul);
      expect(health.last_error).toMatch(/JSON/);
      expect(health.failing_since).toBeTruthy();
      const got = await outcome(scenario);
      expect(got.items).toEqual(reference.final.items);
      expect(got.undispatched).toBe(0);
      expect(got.developments["istanbul-peace-talks"]).toEqual([]);
      expect(got.alerts["istanbul-peace-talks"]).toEqual([]);
      // The other storyline is exactly as in the clean run, its alerts delivered once each.
      for (const field of ["developments", "processed", "alerts"] as const) {
        expect(got[field]["us-ukraine-minerals-deal"]).toEqual(reference.final[field]["us-ukraine-minerals-deal"]);
      }
      expect(got.alerts["us-ukraine-minerals-deal"]?.length).toBeGreaterThan(0);
      expect(got.deliveries).toBe(got.distinctEvents);
      expect(got.receivedIds).toBe(got.deliveries);
      expect((await storylineHealth(storylineOf(scenario, "us-ukraine-minerals-deal"))).last_error).toBeNull();
    });
  });
});

describe("fault: the webhook receiver is down for an hour, then back", () => {
  it("failed deliveries keep their webhook-id, dead-letter, and go out once when retried", {
    timeout: 180_000,
  }, async () => {
    const reference = await cleanRun();
    await withInternet(async (internet) => {
      const scenario = await setup("receiver", internet);
      for (let tick = 0; tick < TICKS; tick++) {
        scenario.tick = tick;
        // Down over ticks 2..4 (the shortened schedule "0,1,2" runs out within it), back for tick 5.
        scenario.receiverDown = tick >= 2 && tick <= 4;
        await cron(cronTime(tick));
        await waitForAllRuns();
        if (scenario.receiverDown) {
          await vi.waitFor(
            async () => {
              const rows = await deliveriesOf(scenario.hook.id);
              expect(rows.filter((r) => r.state !== "dead" && r.state !== "succeeded")).toEqual([]);
            },
            { timeout: 30_000, interval: 250 },
          );
        }
      }
      const dead = await deliveriesOf(scenario.hook.id, "?state=dead");
      expect(dead.length).toBeGreaterThan(0);
      for (const delivery of dead) expect(delivery.attempts).toHaveLength(3);
      for (const delivery of dead) {
        const retry = await api(`/v1/deliveries/${delivery.id}/retry`, { method: "POST" });
        expect(retry.status).toBe(202);
      }
      await waitForDeliveries(scenario);
      // Every attempt at one alert carried that alert's one webhook-id.
      const got = await expectSameAsClean(scenario, reference.final);
      expect(scenario.received.length).toBeGreaterThan(got.deliveries);
    });
  });
});

describe("fault: the KV cache wiped between ticks", () => {
  it("costs full fetches, but stores, detects and alerts nothing twice", { timeout: 180_000 }, async () => {
    const reference = await cleanRun();
    await withInternet(async (internet) => {
      const scenario = await setup("wiped", internet);
      const wipe = async () => {
        let wiped = 0;
        for (;;) {
          const { keys } = await env.CACHE.list();
          if (keys.length === 0) return wiped;
          await Promise.all(keys.map((key) => env.CACHE.delete(key.name)));
          wiped += keys.length;
        }
      };
      for (let tick = 0; tick < TICKS; tick++) {
        scenario.tick = tick;
        // Validators and status snapshots were there to lose.
        if (tick > 0) expect(await wipe()).toBeGreaterThan(0);
        await cron(cronTime(tick));
        await waitForAllRuns();
      }
      // Without its validators no feed sent If-None-Match: every check was a full fetch.
      const conditional = internet.requests.filter(
        (r) => r.url.includes(".example/feed.xml") && r.headers["if-none-match"],
      );
      expect(conditional).toEqual([]);
      // One more tick with nothing new, after another wipe: still nothing new.
      await wipe();
      await cron(cronTime(TICKS));
      await waitForAllRuns();
      await waitForDeliveries(scenario);
      await expectSameAsClean(scenario, reference.final);
    });
  });
});
