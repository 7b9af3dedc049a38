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
import worker from "../../src/index";
import { deliveriesOf } from "../alerts/helpers";
import { resetFeedTables, startRunWithoutQueue } from "../feeds/helpers";
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
// → dispatch → Storyline objects → deliveries queue → fake receiver) under one fault, and
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
          // recorded (a trigger aborts that write): it gives the batch back without acking it.
          await env.DB.exec(
            "CREATE TRIGGER poll_crash BEFORE UPDATE OF last_checked_at ON feeds BEGIN SELECT RAISE(ABORT, 'simulated crash'); END",
          );
          const died = await consumePolls(run.id, feedIds);
          expect(died.retried.length).toBeGreaterThan(0);
          const written = await env.DB.prepare(
            `SELECT count(*) AS n FROM items i JOIN feeds f ON f.id = i.feed_id
             WHERE i.updated_at > COALESCE(f.dispatched_through, '') AND i.feed_id IN (SELECT value FROM json_each(?))`,
          )
            .bind(JSON.stringify(feedIds))
            .first<{ n: number }>();
          expect(written?.n).toBeGreaterThan(0);
          await env.DB.exec("DROP TRIGGER poll_crash");
          // The queue redelivers what was not acked.
          const again = await consumePolls(run.id, died.retried, 2);
          expect(again).toEqual({ acked: inOrder(died.retried), retried: [] });
        } else {
          expect(await consumePolls(run.id, feedIds)).toEqual({ acked: inOrder(feedIds), retried: [] });
        }
        // Died after every write but before the acks reached the queue: all redelivered.
        expect(await consumePolls(run.id, feedIds, 3)).toEqual({ acked: inOrder(feedIds), retried: [] });
        const finished = await env.DB.prepare("SELECT status, feeds_checked, items_new FROM runs WHERE id = ?")
          .bind(run.id)
          .first<{ status: string; feeds_checked: number; items_new: number }>();
        expect(finished).toMatchObject({ status: "completed", feeds_checked: CORPUS_FEEDS.length });
      }
      await waitForDeliveries(scenario);
      await expectSameAsClean(scenario, reference.final);
    });
  });
});

describe("fault: the detector throws for one storyline", () => {
  it("the other storyline keeps up; the broken one catches up once repaired, nothing twice", {
    timeout: 180_000,
  }, async () => {
    const reference = await cleanDirectRun();
    await withInternet(async (internet) => {
      const scenario = await setup("broken", internet);
      const istanbul = storylineOf(scenario, "istanbul-peace-talks");
      let goodState: string | null = null;
      let retried: { runId: string; feedIds: string[] } | null = null;
      const BROKEN = [3, 4];
      for (let tick = 0; tick < TICKS; tick++) {
        scenario.tick = tick;
        if (tick === BROKEN[0]) {
          // Corrupt the Istanbul storyline's saved detector state: every ingest there now throws.
          goodState = await runInDurableObject(stub(istanbul), (_instance, state) => {
            const row = state.storage.sql.exec<{ state: string }>("SELECT state FROM detector_state").toArray()[0];
            state.storage.sql.exec(
              `INSERT INTO detector_state (singleton, storyline_id, storyline_created_at, state, saved_at)
               VALUES (1, ?, '2025-01-01T00:00:00.000Z', '{not json', '') ON CONFLICT DO UPDATE SET state = '{not json'`,
              istanbul,
            );
            return row?.state ?? null;
          });
        }
        if (tick === (BROKEN.at(-1) ?? 0) + 1) {
          // Repaired: the queue's next delivery of the failed polls goes through.
          await runInDurableObject(stub(istanbul), (_instance, state) => {
            if (goodState === null) state.storage.sql.exec("DELETE FROM detector_state");
            else state.storage.sql.exec("UPDATE detector_state SET state = ?", goodState);
          });
          if (retried) expect((await consumePolls(retried.runId, retried.feedIds, 2)).retried).toEqual([]);
        }
        const { run, feedIds } = await startRunWithoutQueue(cronTime(tick));
        const result = await consumePolls(run.id, feedIds);
        if (BROKEN.includes(tick)) {
          // The polls whose items reached the Istanbul storyline fail (and are retried) ...
          expect(result.retried.length).toBeGreaterThan(0);
          retried = { runId: run.id, feedIds: result.retried };
          // ... yet the minerals storyline got every development of the tick, as in the clean run.
          const now = await outcome(scenario);
          expect(now.developments["us-ukraine-minerals-deal"]).toEqual(
            reference.afterTick[tick]?.developments["us-ukraine-minerals-deal"],
          );
          expect(now.developments["istanbul-peace-talks"]).toEqual(
            reference.afterTick[(BROKEN[0] ?? 0) - 1]?.developments["istanbul-peace-talks"],
          );
        } else {
          expect(result).toEqual({ acked: inOrder(feedIds), retried: [] });
        }
      }
      await waitForDeliveries(scenario);
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
