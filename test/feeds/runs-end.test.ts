import { env } from "cloudflare:test";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { finishInRuns, pollFeed } from "../../src/feeds/poller";
import { pruneHistory } from "../../src/feeds/retention";
import { RUN_STALLED_AFTER_MS, runTick, sweepStalledRuns } from "../../src/feeds/scheduler";
import { getFeed } from "../../src/store/feeds";
import { expectDetectionStatement, finishDetection, getRun } from "../../src/store/runs";
import { type FakeInternet, fakeInternet } from "../helpers/fake-internet";
import { addFeed, feedsOfRun, heldFeeds, resetFeedTables, rss, startRunWithoutQueue } from "./helpers";

const T0 = new Date("2025-08-13T12:00:00.000Z");
const later = (minutes: number) => new Date(T0.getTime() + minutes * 60_000);

let internet: FakeInternet;
beforeEach(async () => {
  await resetFeedTables();
  internet = fakeInternet();
});
afterEach(() => internet.restore());

describe("runs end", () => {
  it("marks a run with no progress for 10 minutes failed, with a reason, and frees its feeds for the next run", async () => {
    const polled = await addFeed("https://polled.example/feed", T0);
    const lost = await addFeed("https://lost.example/feed", T0);
    internet.on("https://polled.example/feed", rss([{ guid: "a", title: "One" }]));
    internet.on("https://lost.example/feed", rss([{ guid: "b", title: "Two" }]));
    const { run } = await startRunWithoutQueue(T0);
    // One feed is polled a minute in; the other's message is lost (a crash in the consumer).
    await pollFeed(env, { runId: run.id, feedId: polled }, later(1));
    expect(await getRun(env.DB, run.id)).toMatchObject({ status: "running", feeds_checked: 1 });

    // Nine minutes after the last progress: still running.
    expect(await sweepStalledRuns(env, later(10))).toEqual([]);
    expect(RUN_STALLED_AFTER_MS).toBe(10 * 60_000);
    expect(await sweepStalledRuns(env, later(11.5))).toEqual([run.id]);
    const swept = await getRun(env.DB, run.id);
    expect(swept).toMatchObject({
      status: "failed",
      feeds_checked: 1,
      feeds_failed: 1,
      finished_at: later(11.5).toISOString(),
    });
    expect(swept?.error).toMatch(/no feed of this run finished for 10 minutes.*1 of 2 feeds never finished/);
    // The lost feed is free again, and its own health is untouched (the failure was ours).
    expect(await heldFeeds()).not.toContain(lost);
    expect(await getFeed(env.DB, lost)).toMatchObject({ consecutive_failures: 0 });

    // The next tick polls it.
    const next = await runTick(env, "cron", later(12));
    expect(await feedsOfRun(next?.id)).toContain(lost);

    // A late message of the swept run changes nothing.
    expect(await pollFeed(env, { runId: run.id, feedId: lost }, later(13))).toEqual({ state: "skipped" });
    expect(await getRun(env.DB, run.id)).toMatchObject({ status: "failed", feeds_failed: 1 });
    // Sweeping again finds nothing; history retention now takes the swept run like any other.
    expect(await sweepStalledRuns(env, later(20))).not.toContain(run.id);
    await pruneHistory(env, new Date(T0.getTime() + 31 * 24 * 3600_000));
    expect(await getRun(env.DB, run.id)).toBeNull();
  });

  it("records a run's finished_at when its last poll finished, not when it started", async () => {
    const feedId = await addFeed("https://slow.example/feed", T0);
    internet.on("https://slow.example/feed", async () => {
      await new Promise((resolve) => setTimeout(resolve, 400));
      return new Response(rss([{ guid: "s", title: "Slow" }]));
    });
    const { run } = await startRunWithoutQueue(T0);
    await pollFeed(env, { runId: run.id, feedId }, T0);
    const finished = await getRun(env.DB, run.id);
    expect(finished?.status).toBe("completed");
    expect(Date.parse(finished?.finished_at ?? "")).toBeGreaterThanOrEqual(T0.getTime() + 400);
  });

  it("leaves a run waiting only on its detections to them: it completes when the last one finishes", async () => {
    const feedId = await addFeed("https://checked.example/feed", T0);
    const { run } = await startRunWithoutQueue(T0);
    // The poll is done and queued one detection, which its storyline keeps retrying.
    await env.DB.batch([
      expectDetectionStatement(env.DB, { runId: run.id, key: "slow-storyline:abc", storylineId: "slow-storyline" }),
    ]);
    await finishInRuns(env, [
      { runId: run.id, finish: { feedId, state: "checked", itemsNew: 1, now: later(1).toISOString() } },
    ]);
    expect(await getRun(env.DB, run.id)).toMatchObject({ status: "running", feeds_checked: 1 });
    expect(await sweepStalledRuns(env, later(30))).toEqual([]);
    await finishDetection(env.DB, {
      runId: run.id,
      key: "slow-storyline:abc",
      storylineId: "slow-storyline",
      state: "done",
      developments: 2,
      now: later(31).toISOString(),
    });
    // Finishing it again (a redelivered message) counts nothing twice.
    await finishDetection(env.DB, {
      runId: run.id,
      key: "slow-storyline:abc",
      storylineId: "slow-storyline",
      state: "done",
      developments: 2,
      now: later(32).toISOString(),
    });
    expect(await getRun(env.DB, run.id)).toMatchObject({
      status: "completed",
      developments: 2,
      finished_at: later(31).toISOString(),
    });
  });
});
