import {
  createExecutionContext,
  createMessageBatch,
  env,
  getQueueResult,
  waitOnExecutionContext,
} from "cloudflare:test";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { normaliseItems } from "../../src/feeds/normalise";
import { parseFeed } from "../../src/feeds/parse";
import { FAILING_THRESHOLD, handlePollDeadLetters, MAX_FETCHES_IN_FLIGHT, pollFeed } from "../../src/feeds/poller";
import { pruneOldItems } from "../../src/feeds/retention";
import { intervalAfterSuccess } from "../../src/feeds/schedule";
import { RUN_STALLED_AFTER_MS, sweepStalledRuns } from "../../src/feeds/scheduler";
import worker from "../../src/index";
import { writeItems } from "../../src/store/items";
import { getRun } from "../../src/store/runs";
import { api } from "../helpers/api";
import { type FakeInternet, fakeInternet } from "../helpers/fake-internet";
import { addFeed, feedNow, heldFeeds, resetFeedTables, rss, startRunWithoutQueue } from "./helpers";

const FEED = "https://news.example/feed.xml";
const T0 = new Date("2025-08-13T12:00:00.000Z");
const later = (minutes: number) => new Date(T0.getTime() + minutes * 60_000);

let internet: FakeInternet;
beforeEach(async () => {
  await resetFeedTables();
  internet = fakeInternet();
});
afterEach(() => internet.restore());

async function pollOnce(now: Date) {
  const { run, feedIds } = await startRunWithoutQueue(now);
  const results = [];
  for (const feedId of feedIds) results.push(await pollFeed(env, { runId: run.id, feedId }, now));
  return { run, results };
}

async function itemRows(feedId: string) {
  const { results } = await env.DB.prepare(
    "SELECT id, item_key, title, baseline, updated_at, first_seen_at, pruned_at FROM items WHERE feed_id = ? ORDER BY item_key",
  )
    .bind(feedId)
    .all<{
      id: string;
      item_key: string;
      title: string | null;
      baseline: number;
      updated_at: string;
      first_seen_at: string;
      pruned_at: string | null;
    }>();
  return results;
}

describe("poll: new items", () => {
  it("writes a feed's items once, as baseline on the first check, and records health", async () => {
    const feedId = await addFeed(FEED);
    internet.on(
      FEED,
      rss([
        { guid: "a", title: "First" },
        { guid: "b", title: "Second" },
      ]),
    );
    const { run, results } = await pollOnce(T0);
    expect(results[0]).toMatchObject({ state: "checked", status: "ok", itemsNew: 2, itemsUpdated: 0 });
    const rows = await itemRows(feedId);
    expect(rows.map((r) => [r.item_key, r.baseline])).toEqual([
      ["guid:a", 1],
      ["guid:b", 1],
    ]);
    const feed = await feedNow(feedId);
    expect(feed).toMatchObject({
      last_status: "ok",
      last_http_status: 200,
      last_error: null,
      items_seen: 2,
      title: "News",
      first_checked_at: T0.toISOString(),
    });
    expect(await heldFeeds()).toEqual([]);
    expect(Date.parse(feed?.next_check_at ?? "")).toBeGreaterThan(T0.getTime());
    expect(await getRun(env.DB, run.id)).toMatchObject({
      status: "completed",
      feeds_total: 1,
      feeds_checked: 1,
      feeds_failed: 0,
      items_new: 2,
      finished_at: expect.stringMatching(/^2025-08-13T12:00:0/),
    });

    // The next check sees one more item: only that one is new, and it is not baseline.
    internet.on(
      FEED,
      rss([
        { guid: "c", title: "Third" },
        { guid: "a", title: "First" },
        { guid: "b", title: "Second" },
      ]),
    );
    const second = await pollOnce(later(60));
    expect(second.results[0]).toMatchObject({ itemsNew: 1, itemsUpdated: 0 });
    expect((await itemRows(feedId)).find((r) => r.item_key === "guid:c")?.baseline).toBe(0);
    expect((await feedNow(feedId))?.items_seen).toBe(3);
  });
});

describe("poll: a crash between writing items and matching them", () => {
  it("hands the written-but-unmatched items on again on the retried poll, then never again", async () => {
    const feedId = await addFeed(FEED);
    const body = rss([{ guid: "a", title: "Written, not matched" }]);
    // What a poll that died inside the matching stage leaves behind: the item row, not dispatched.
    const items = await normaliseItems(parseFeed(body, { url: FEED }), T0);
    await writeItems(env.DB, items, { feedId, feedTitle: null, now: T0.toISOString(), baseline: true });
    internet.on(FEED, body);
    const { results } = await pollOnce(later(5));
    expect(results[0]).toMatchObject({ state: "checked", itemsNew: 1 });
    // Matching took everything the feed has written so far.
    expect((await feedNow(feedId))?.dispatched_through).toBe(later(5).toISOString());
    // The same item on a later (changed) body is known and matched: not handed on again.
    internet.on(FEED, body.replace("<title>News</title>", "<title>News!</title>"));
    expect((await pollOnce(later(60))).results[0]).toMatchObject({ itemsNew: 0, itemsUpdated: 0 });
  });
});

describe("poll: edited in place", () => {
  it("updates the same item (same id, new title) instead of adding one", async () => {
    const feedId = await addFeed(FEED);
    internet.on(FEED, rss([{ guid: "a", title: "Summit planned" }]));
    await pollOnce(T0);
    const [before] = await itemRows(feedId);
    internet.on(FEED, rss([{ guid: "a", title: "Summit planned for Friday in Alaska" }]));
    const { results } = await pollOnce(later(30));
    expect(results[0]).toMatchObject({ itemsNew: 0, itemsUpdated: 1 });
    const after = await itemRows(feedId);
    expect(after).toHaveLength(1);
    expect(after[0]).toMatchObject({
      id: before?.id,
      title: "Summit planned for Friday in Alaska",
      first_seen_at: T0.toISOString(),
    });
    expect(after[0]?.updated_at).toBe(later(30).toISOString());
  });
});

describe("poll: unchanged feeds cost no item writes", () => {
  it("a 200 with the same body is 'unchanged' and touches no item", async () => {
    const feedId = await addFeed(FEED);
    const body = rss([{ guid: "a", title: "Same" }]);
    internet.on(FEED, body);
    await pollOnce(T0);
    const before = await itemRows(feedId);
    const { results } = await pollOnce(later(30));
    expect(results[0]).toMatchObject({ state: "checked", status: "unchanged", itemsNew: 0, itemsUpdated: 0 });
    expect(await itemRows(feedId)).toEqual(before);
    expect((await feedNow(feedId))?.last_status).toBe("unchanged");
  });

  it("writes no feed row to D1 for an unchanged check or one with news; the API shows what it did", async () => {
    const feedId = await addFeed(FEED);
    let body = rss([{ guid: "a", title: "First" }]);
    internet.on(FEED, () => new Response(body));
    await pollOnce(T0);
    const row = async () => env.DB.prepare("SELECT * FROM feeds WHERE id = ?").bind(feedId).first();
    const afterFirst = await row();
    expect(afterFirst).toMatchObject({ last_checked_at: T0.toISOString(), items_seen: 1 });

    // Nothing changed, then news: the feed's health is the same, so its D1 row is untouched.
    await pollOnce(later(30));
    body = rss([
      { guid: "b", title: "Second" },
      { guid: "a", title: "First" },
    ]);
    await pollOnce(later(60));
    expect(await row()).toEqual(afterFirst);
    const shown = await (await api(`/v1/feeds/${feedId}`)).json<Record<string, unknown>>();
    expect(shown).toMatchObject({ last_checked_at: later(60).toISOString(), last_status: "ok", items_seen: 2 });
    expect(Date.parse(String(shown.next_check_at))).toBeGreaterThan(later(60).getTime());
    const listed = await (await api("/v1/feeds")).json<{ feeds: Array<Record<string, unknown>> }>();
    expect(listed.feeds.find((f) => f.id === feedId)).toMatchObject({ last_checked_at: later(60).toISOString() });

    // A failure is health: written to D1 at once.
    internet.on(FEED, new Response("gone", { status: 503 }));
    await pollOnce(later(90));
    expect(await row()).toMatchObject({ last_status: "http_503", consecutive_failures: 1 });
  });

  it("keeps ETag and Last-Modified in KV and sends them back; a 304 is 'not_modified'", async () => {
    const feedId = await addFeed(FEED);
    internet.on(
      FEED,
      new Response(rss([{ guid: "a", title: "x" }]), {
        headers: { etag: '"v1"', "last-modified": "Tue, 12 Aug 2025 18:03:00 GMT" },
      }),
    );
    await pollOnce(T0);
    expect(await env.CACHE.get(`feed-validators:${feedId}`, "json")).toEqual({
      etag: '"v1"',
      lastModified: "Tue, 12 Aug 2025 18:03:00 GMT",
    });
    internet.on(FEED, (request) =>
      request.headers.get("if-none-match") === '"v1"'
        ? new Response(null, { status: 304 })
        : new Response("wrong", { status: 500 }),
    );
    const { results } = await pollOnce(later(30));
    expect(results[0]).toMatchObject({ state: "checked", status: "not_modified" });
    expect((await feedNow(feedId))?.last_http_status).toBe(304);
  });
});

describe("poll: validators are kept only with a stored body", () => {
  it("does not keep the ETag of a body whose check failed (else the next check would be a 304 for unread items)", async () => {
    const feedId = await addFeed(FEED);
    internet.on(FEED, new Response(rss([{ guid: "a", title: "x" }]), { headers: { etag: '"v1"' } }));
    await pollOnce(T0);
    internet.on(FEED, new Response("<html><body>maintenance</body></html>", { headers: { etag: '"v2"' } }));
    expect((await pollOnce(later(30))).results[0]).toMatchObject({ state: "failed", status: "not_a_feed" });
    expect(await env.CACHE.get(`feed-validators:${feedId}`, "json")).toEqual({ etag: '"v1"', lastModified: null });
  });
});

describe("poll: failures back off, are flagged, and alert", () => {
  it("counts consecutive failures, keeps the feed scheduled, alerts at 3 and on recovery", async () => {
    const hook = await api("/v1/webhooks", {
      method: "POST",
      json: { url: "https://hooks.example/in", event_types: ["feed.failing", "feed.recovered"] },
    });
    expect(hook.status).toBe(201);
    internet.on("https://hooks.example/*", new Response("ok"));
    const feedId = await addFeed(FEED);
    internet.on(FEED, new Response("down", { status: 503 }));
    let minutes = 0;
    for (let i = 1; i <= FAILING_THRESHOLD; i++) {
      minutes += 60;
      const { run, results } = await pollOnce(later(minutes));
      expect(results[0]).toMatchObject({ state: "failed", status: "http_503" });
      expect(await getRun(env.DB, run.id)).toMatchObject({ status: "completed", feeds_failed: 1, feeds_checked: 0 });
      const feed = await feedNow(feedId);
      expect(feed?.consecutive_failures).toBe(i);
      expect(feed?.last_error).toMatch(/HTTP 503/);
      expect(Date.parse(feed?.next_check_at ?? "")).toBeGreaterThan(later(minutes).getTime());
      expect(await heldFeeds()).toEqual([]);
    }
    const failing = await env.DB.prepare("SELECT event_type FROM deliveries").all<{ event_type: string }>();
    expect(failing.results.map((r) => r.event_type)).toEqual(["feed.failing"]);

    internet.on(FEED, rss([{ guid: "a", title: "Back" }]));
    await pollOnce(later(minutes + 60));
    expect(await feedNow(feedId)).toMatchObject({
      consecutive_failures: 0,
      last_error: null,
      failing_since: null,
    });
    const all = await env.DB.prepare("SELECT event_type FROM deliveries ORDER BY created_at").all<{
      event_type: string;
    }>();
    expect(all.results.map((r) => r.event_type).sort()).toEqual(["feed.failing", "feed.recovered"]);
  });

  it("reports a page that is not a feed as not_a_feed", async () => {
    await addFeed(FEED);
    internet.on(FEED, "<!DOCTYPE html><html><body>hello</body></html>");
    const { results } = await pollOnce(T0);
    expect(results[0]).toMatchObject({ state: "failed", status: "not_a_feed" });
  });
});

describe("leases: overlapping ticks never poll a feed twice", () => {
  it("a second run started while the first holds the lease gets nothing, and a stale message does nothing", async () => {
    const feedId = await addFeed(FEED);
    internet.on(FEED, rss([{ guid: "a", title: "x" }]));
    const first = await startRunWithoutQueue(T0);
    const second = await startRunWithoutQueue(T0);
    expect(first.feedIds).toEqual([feedId]);
    expect(second.feedIds).toEqual([]);
    expect(second.run).toMatchObject({ status: "completed", feeds_total: 0 });

    // A message of a run that does not hold the lease is finished without a fetch.
    const stale = await startRunWithoutQueue(later(10)); // lease still held: nothing
    expect(stale.feedIds).toEqual([]);
    expect(await pollFeed(env, { runId: second.run.id, feedId }, T0)).toEqual({ state: "skipped" });
    expect(internet.requests).toHaveLength(0);

    // After the lease expires, a later run may take the feed; the old run's message then does nothing.
    const afterExpiry = await startRunWithoutQueue(later(31));
    expect(afterExpiry.feedIds).toEqual([feedId]);
    expect(await pollFeed(env, { runId: first.run.id, feedId }, later(31))).toEqual({ state: "skipped" });
    expect(internet.requests).toHaveLength(0);
    expect(await getRun(env.DB, first.run.id)).toMatchObject({ status: "completed", feeds_checked: 1 });
    expect(await pollFeed(env, { runId: afterExpiry.run.id, feedId }, later(31))).toMatchObject({ itemsNew: 1 });
    expect(internet.requests).toHaveLength(1);
  });

  it("a redelivered message finishes its feed once: counters and items are not doubled", async () => {
    const feedId = await addFeed(FEED);
    internet.on(FEED, rss([{ guid: "a", title: "x" }]));
    const { run } = await startRunWithoutQueue(T0);
    await pollFeed(env, { runId: run.id, feedId }, T0);
    expect(await pollFeed(env, { runId: run.id, feedId }, T0)).toEqual({ state: "skipped" });
    expect(await getRun(env.DB, run.id)).toMatchObject({ feeds_checked: 1, items_new: 1 });
    expect(await itemRows(feedId)).toHaveLength(1);
  });
});

describe("poll consumer concurrency", () => {
  it("works a batch with at most 6 fetches in flight, acking every message", async () => {
    const ids: string[] = [];
    for (let i = 0; i < 10; i++) ids.push(await addFeed(`https://c${i}.example/feed`));
    let inFlight = 0;
    let peak = 0;
    internet.on("https://c*", async () => {
      inFlight++;
      peak = Math.max(peak, inFlight);
      await new Promise((resolve) => setTimeout(resolve, 30));
      inFlight--;
      return new Response(rss([{ guid: "a", title: "x" }]));
    });
    const { run } = await startRunWithoutQueue(T0);
    const batch = createMessageBatch(
      "polls",
      ids.map((feedId, i) => ({ id: `m${i}`, timestamp: T0, attempts: 1, body: { runId: run.id, feedId } })),
    );
    const ctx = createExecutionContext();
    await worker.queue(batch, env, ctx);
    await waitOnExecutionContext(ctx);
    const result = await getQueueResult(batch, ctx);
    expect(result.explicitAcks.sort()).toEqual(ids.map((_, i) => `m${i}`).sort());
    expect(peak).toBe(MAX_FETCHES_IN_FLIGHT);
    expect(await getRun(env.DB, run.id)).toMatchObject({ status: "completed", feeds_checked: 10 });
  });
});

describe("dead-lettered polls", () => {
  /** Hands the `polls-dlq` consumer one given-up poll; the queue result of the batch. */
  async function deadLetter(runId: string, feedId: string, at: Date) {
    const batch = createMessageBatch("polls-dlq", [{ id: "m1", timestamp: at, attempts: 6, body: { runId, feedId } }]);
    const ctx = createExecutionContext();
    await handlePollDeadLetters(batch, env, at);
    await waitOnExecutionContext(ctx);
    return getQueueResult(batch, ctx);
  }

  it("fail their feed for the run, release the lease and let the run complete", async () => {
    const feedId = await addFeed(FEED);
    const { run } = await startRunWithoutQueue(T0);
    expect(await deadLetter(run.id, feedId, T0)).toMatchObject({ explicitAcks: ["m1"] });
    expect(await getRun(env.DB, run.id)).toMatchObject({ status: "completed", feeds_failed: 1 });
    expect(await feedNow(feedId)).toMatchObject({
      last_status: "poll_failed",
      consecutive_failures: 1,
    });
    expect(await heldFeeds()).toEqual([]);
    expect(internet.requests).toHaveLength(0);
  });

  it("record nothing of the feed once the run was swept and its lease released", async () => {
    const feedId = await addFeed(FEED);
    const { run } = await startRunWithoutQueue(T0);
    const later = new Date(T0.getTime() + RUN_STALLED_AFTER_MS + 60_000);
    expect(await sweepStalledRuns(env, later)).toEqual([run.id]);
    expect(await deadLetter(run.id, feedId, later)).toMatchObject({ explicitAcks: ["m1"] });
    const feed = await feedNow(feedId);
    expect(feed?.last_status).not.toBe("poll_failed");
    expect(feed?.consecutive_failures).toBe(0);
  });
});

describe("runs: completed only when every feed is done", () => {
  it("stays running until the last feed finishes; a failed feed does not fail the run", async () => {
    const ok = await addFeed("https://a.example/feed");
    const bad = await addFeed("https://b.example/feed");
    internet.on("https://a.example/feed", rss([{ guid: "a", title: "x" }]));
    internet.on("https://b.example/feed", new Response("gone", { status: 410 }));
    const { run } = await startRunWithoutQueue(T0);
    expect(run).toMatchObject({ status: "running", feeds_total: 2 });
    await pollFeed(env, { runId: run.id, feedId: ok }, T0);
    expect(await getRun(env.DB, run.id)).toMatchObject({ status: "running", feeds_checked: 1, finished_at: null });
    await pollFeed(env, { runId: run.id, feedId: bad }, T0);
    expect(await getRun(env.DB, run.id)).toMatchObject({
      status: "completed",
      feeds_checked: 1,
      feeds_failed: 1,
      items_new: 1,
    });
    // 410 Gone: checked again only after a day.
    const gone = await feedNow(bad);
    expect(Date.parse(gone?.next_check_at ?? "") - T0.getTime()).toBe(24 * 3600 * 1000);
  });
});

describe("adaptive schedule", () => {
  it("never checks sooner than Cache-Control max-age or RSS <ttl> asks", () => {
    const now = T0.getTime();
    const busy = Array.from({ length: 3000 }, (_, i) => now - i * 60_000);
    expect(
      intervalAfterSuccess(
        { publishedTimes: busy, previousIntervalS: null, maxAgeSeconds: null, ttlMinutes: null },
        now,
      ),
    ).toBe(300);
    expect(
      intervalAfterSuccess(
        { publishedTimes: busy, previousIntervalS: null, maxAgeSeconds: 3600, ttlMinutes: null },
        now,
      ),
    ).toBe(3600);
    expect(
      intervalAfterSuccess(
        { publishedTimes: busy, previousIntervalS: null, maxAgeSeconds: null, ttlMinutes: 120 },
        now,
      ),
    ).toBe(7200);
    expect(
      intervalAfterSuccess(
        { publishedTimes: busy, previousIntervalS: null, maxAgeSeconds: null, ttlMinutes: 10_000 },
        now,
      ),
    ).toBe(86_400);
  });

  it("a changed body looks up only the items the last body did not hold with the same text", async () => {
    const feedId = await addFeed(FEED);
    internet.on(
      FEED,
      rss([
        { guid: "a", title: "Kept" },
        { guid: "b", title: "Edited later" },
      ]),
    );
    await pollOnce(T0);
    // Rows taken away behind the poller's back show which items a check still looks up: one it
    // looks up and misses comes back as new.
    await env.DB.prepare("DELETE FROM items WHERE feed_id = ?").bind(feedId).run();
    internet.on(
      FEED,
      rss([
        { guid: "a", title: "Kept" },
        { guid: "b", title: "Edited now" },
        { guid: "c", title: "New" },
      ]),
    );
    const { results } = await pollOnce(later(30));
    expect(results[0]).toMatchObject({ state: "checked", itemsNew: 2 });
    // "a" was settled on the last check with this text: not looked up, not written again.
    expect((await itemRows(feedId)).map((r) => r.item_key)).toEqual(["guid:b", "guid:c"]);
  });

  it("counts undated items at the time they were first seen, not at every check", async () => {
    const feedId = await addFeed(FEED);
    const undated = (title: string) =>
      `<rss version="0.91"><channel><title>${title}</title>${Array.from({ length: 10 }, (_, i) => `<item><title>u${i}</title><link>https://news.example/u${i}</link></item>`).join("")}</channel></rss>`;
    internet.on(FEED, undated("Old"));
    await pollOnce(T0);
    // Eight days on, the same ten undated items (the body changed elsewhere): no recent publishing.
    internet.on(FEED, undated("Old, renamed"));
    const eightDays = new Date(T0.getTime() + 8 * 24 * 3600_000);
    await pollOnce(eightDays);
    const next = Date.parse((await feedNow(feedId))?.next_check_at ?? "") - eightDays.getTime();
    // A quiet feed: the upper bound (60 min, up to 10 % sooner), not the busy rate of its first check.
    expect(next).toBeGreaterThanOrEqual(54 * 60_000);
    expect(next).toBeLessThanOrEqual(60 * 60_000);
  });

  it("checks a busy feed sooner than a quiet one, within 5 to 60 minutes", async () => {
    const busy = await addFeed("https://busy.example/feed");
    const quiet = await addFeed("https://quiet.example/feed");
    const recent = Array.from({ length: 300 }, (_, i) => ({
      guid: `n${i}`,
      title: `n${i}`,
      date: new Date(T0.getTime() - i * 30 * 60_000).toUTCString(),
    }));
    internet.on("https://busy.example/feed", rss(recent));
    internet.on(
      "https://quiet.example/feed",
      rss([{ guid: "old", title: "old", date: "Mon, 01 Jan 2024 00:00:00 GMT" }]),
    );
    await pollOnce(T0);
    const busyNext = Date.parse((await feedNow(busy))?.next_check_at ?? "") - T0.getTime();
    const quietNext = Date.parse((await feedNow(quiet))?.next_check_at ?? "") - T0.getTime();
    expect(busyNext).toBeGreaterThanOrEqual(5 * 60_000);
    expect(busyNext).toBeLessThan(60 * 60_000);
    expect(quietNext).toBeGreaterThanOrEqual(54 * 60_000);
    expect(quietNext).toBeLessThanOrEqual(60 * 60_000);
  });
});

describe("retention", () => {
  it("prunes old item text but keeps identity, so the item never comes back as new", async () => {
    const feedId = await addFeed(FEED);
    internet.on(FEED, rss([{ guid: "old", title: "Old story" }]));
    await pollOnce(T0);
    const pruned = await pruneOldItems(env, new Date(T0.getTime() + 91 * 24 * 3600_000));
    expect(pruned).toBe(1);
    const [row] = await itemRows(feedId);
    expect(row).toMatchObject({ title: null, pruned_at: expect.any(String) });
    // Still in the feed (with an edit, even): not new, not re-written.
    internet.on(FEED, rss([{ guid: "old", title: "Old story, edited" }]));
    const { results } = await pollOnce(new Date(T0.getTime() + 92 * 24 * 3600_000));
    expect(results[0]).toMatchObject({ itemsNew: 0, itemsUpdated: 0 });
    expect((await itemRows(feedId))[0]?.title).toBeNull();
    // Recent items are left alone.
    expect(await pruneOldItems(env, new Date(T0.getTime() + 24 * 3600_000))).toBe(0);
  });
});
