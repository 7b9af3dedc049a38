/**
 * Polling at news speed: a quiet feed is checked within the hour, a hot storyline's feeds at
 * the minimum interval, the publisher's hints are a floor, and the cron trigger polls what is due.
 */
import { createExecutionContext, createScheduledController, env, waitOnExecutionContext } from "cloudflare:test";
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { dateIsNear, hurryHotFeeds } from "../../src/feeds/cadence";
import { pollFeed } from "../../src/feeds/poller";
import worker from "../../src/index";
import { getFeed } from "../../src/store/feeds";
import { api } from "../helpers/api";
import { type FakeInternet, fakeInternet } from "../helpers/fake-internet";
import { addFeed, resetFeedTables, rss, startRunWithoutQueue, waitForRun } from "./helpers";

const T0 = new Date("2025-08-13T12:00:00.000Z");
const at = (minutes: number) => new Date(T0.getTime() + minutes * 60_000);
const QUIET = rss([{ guid: "old", title: "Old press release", date: "Mon, 01 Jan 2024 00:00:00 GMT" }]);

let internet: FakeInternet;
beforeEach(async () => {
  await resetFeedTables();
  await env.DB.prepare("DELETE FROM storylines").run();
  internet = fakeInternet();
});
afterEach(() => internet.restore());

/** Leases what is due at `now` (as the cron tick does) and polls it; returns the feed ids checked. */
async function cronPoll(now: Date): Promise<string[]> {
  await hurryHotFeeds(env, now);
  const { run, feedIds } = await startRunWithoutQueue(now, true);
  for (const feedId of feedIds) await pollFeed(env, { runId: run.id, feedId }, now);
  return feedIds;
}

async function minutesToNextCheck(feedId: string, from: Date): Promise<number> {
  const feed = await getFeed(env.DB, feedId);
  return (Date.parse(feed?.next_check_at ?? "") - from.getTime()) / 60_000;
}

async function createStoryline(id: string, feeds: string[] | null): Promise<void> {
  const res = await api("/v1/storylines", {
    method: "POST",
    json: { id, title: id, kind: "event", query: "summit", ...(feeds ? { feeds } : {}) },
  });
  expect(res.status).toBe(201);
}

describe("poll cadence", () => {
  it("checks a quiet feed (nothing new in a week) within 60 minutes, not a day later", async () => {
    const feed = await addFeed("https://press.example/releases.xml", T0);
    internet.on("https://press.example/releases.xml", QUIET);
    expect(await cronPoll(T0)).toEqual([feed]);
    const next = await minutesToNextCheck(feed, T0);
    expect(next).toBeGreaterThanOrEqual(54);
    expect(next).toBeLessThanOrEqual(60);
    expect(await cronPoll(at(59))).toEqual(next <= 59 ? [feed] : []);
    expect(await cronPoll(at(60))).toEqual(next <= 59 ? [] : [feed]);
  });

  it("keeps a feed's own interval when the user set one", async () => {
    const feed = await addFeed("https://press.example/releases.xml", T0);
    const res = await api(`/v1/feeds/${feed}`, { method: "PATCH", json: { poll_interval_minutes: 15 } });
    expect(await res.json()).toMatchObject({ poll_interval_minutes: 15 });
    internet.on("https://press.example/releases.xml", QUIET);
    await cronPoll(T0);
    const next = await minutesToNextCheck(feed, T0);
    expect(next).toBeGreaterThanOrEqual(13.5);
    expect(next).toBeLessThanOrEqual(15);
  });

  it("honours Cache-Control max-age and RSS <ttl> as a floor", async () => {
    const cached = await addFeed("https://cached.example/feed", T0);
    const ttl = await addFeed("https://ttl.example/feed", T0);
    internet.on(
      "https://cached.example/feed",
      new Response(QUIET, { headers: { "cache-control": "public, max-age=7200" } }),
    );
    internet.on("https://ttl.example/feed", QUIET.replace("<channel>", "<channel><ttl>180</ttl>"));
    await cronPoll(T0);
    expect(await minutesToNextCheck(cached, T0)).toBeGreaterThanOrEqual(120);
    expect(await minutesToNextCheck(ttl, T0)).toBeGreaterThanOrEqual(180);
  });

  it("honours Retry-After on a 503 and a 429", async () => {
    const busy = await addFeed("https://busy.example/feed", T0);
    const limited = await addFeed("https://limited.example/feed", T0);
    internet.on("https://busy.example/feed", new Response("busy", { status: 503, headers: { "retry-after": "1800" } }));
    internet.on(
      "https://limited.example/feed",
      new Response("slow down", { status: 429, headers: { "retry-after": "3600" } }),
    );
    await cronPoll(T0);
    expect(await minutesToNextCheck(busy, T0)).toBeGreaterThanOrEqual(30);
    expect(await minutesToNextCheck(limited, T0)).toBeGreaterThanOrEqual(60);
  });

  it("logs an expected fetch failure as one line with its reason, no stack trace", async () => {
    await addFeed("https://down.example/feed", T0);
    internet.on("https://down.example/feed", () => {
      throw new TypeError("Network connection lost.");
    });
    const lines: unknown[][] = [];
    const spies = (["log", "info", "warn", "error"] as const).map((level) =>
      vi.spyOn(console, level).mockImplementation((...args: unknown[]) => {
        lines.push(args);
      }),
    );
    try {
      await cronPoll(T0);
    } finally {
      for (const spy of spies) spy.mockRestore();
    }
    expect(lines).toHaveLength(1);
    expect(lines[0]).toHaveLength(1);
    const [line] = lines[0] as [string];
    expect(typeof line).toBe("string");
    expect(line).toMatch(/^feed feed_\w+ \(https:\/\/down\.example\/feed\): network: .*Network connection lost/);
    expect(line).not.toContain("\n");
  });

  it("checks the feeds of a storyline with a date within 48 hours every 5 minutes, and no others", async () => {
    const hot = await addFeed("https://hot.example/feed", T0);
    await addFeed("https://cold.example/feed", T0);
    internet.on("https://hot.example/feed", QUIET).on("https://cold.example/feed", QUIET);
    await cronPoll(T0);
    expect(await minutesToNextCheck(hot, T0)).toBeGreaterThan(50);

    await createStoryline("summit-tomorrow", [hot]);
    await env.DB.prepare(`UPDATE storylines SET status = 'scheduled', facts = '{"date":"2025-08-14"}'`).run();
    expect(await cronPoll(at(4))).toEqual([]);
    expect(await cronPoll(at(5))).toEqual([hot]);
    expect(await cronPoll(at(10))).toEqual([hot]);

    // Once the date is more than 48 hours away, the feed goes back to its own pace.
    await env.DB.prepare(`UPDATE storylines SET facts = '{"date":"2025-08-20"}'`).run();
    expect(await cronPoll(at(15))).toEqual([]);
  });

  it("counts a status move in the last 24 hours as hot, an older one not; no feed list means every feed", async () => {
    const feed = await addFeed("https://wire.example/feed", T0);
    internet.on("https://wire.example/feed", QUIET);
    await cronPoll(T0);
    await createStoryline("talks", null);
    const move = (firstSeen: Date) =>
      env.DB.prepare(
        `INSERT INTO developments (id, storyline_id, dev_key, type, status, title, first_seen_at, updated_at)
         VALUES ('dev_move', 'talks', 'k', 'status_change', 'agreed', 'Talks agreed', ?1, ?1)
         ON CONFLICT (id) DO UPDATE SET first_seen_at = ?1`,
      )
        .bind(firstSeen.toISOString())
        .run();
    await move(new Date(T0.getTime() - 30 * 3600_000));
    expect(await cronPoll(at(5))).toEqual([]);
    await move(new Date(T0.getTime() - 3600_000));
    expect(await cronPoll(at(6))).toEqual([feed]);
  });

  it("does not check a hot storyline's feed sooner than its publisher's max-age", async () => {
    const feed = await addFeed("https://cached.example/feed", T0);
    internet.on("https://cached.example/feed", new Response(QUIET, { headers: { "cache-control": "max-age=1800" } }));
    await createStoryline("summit-today", [feed]);
    await env.DB.prepare(`UPDATE storylines SET facts = '{"date":"2025-08-13"}'`).run();
    await cronPoll(T0);
    expect(await cronPoll(at(5))).toEqual([]);
    expect(await cronPoll(at(29))).toEqual([]);
    expect(await cronPoll(at(30))).toEqual([feed]);
  });

  it("reads a date or a range as near when it overlaps the next 48 hours", () => {
    expect(dateIsNear("2025-08-15", T0)).toBe(true);
    expect(dateIsNear("2025-08-16", T0)).toBe(false);
    expect(dateIsNear("2025-08-13", T0)).toBe(true);
    expect(dateIsNear("2025-08-12", T0)).toBe(false);
    expect(dateIsNear("2025-08-10/2025-08-13", T0)).toBe(true);
    expect(dateIsNear("not a date", T0)).toBe(false);
    expect(dateIsNear(null, T0)).toBe(false);
  });
});

describe("the cron trigger", () => {
  it("polls every due feed (and no paused or undue one) through the real scheduled handler", async () => {
    const now = new Date();
    const due = [await addFeed("https://a.example/feed", now), await addFeed("https://b.example/feed", now)];
    const later = await addFeed("https://later.example/feed", now);
    const paused = await addFeed("https://paused.example/feed", now);
    await env.DB.prepare("UPDATE feeds SET next_check_at = ? WHERE id = ?")
      .bind(new Date(now.getTime() + 3600_000).toISOString(), later)
      .run();
    expect((await api(`/v1/feeds/${paused}`, { method: "PATCH", json: { paused: true } })).status).toBe(200);
    internet.on("https://*", rss([{ guid: "1", title: "News" }]));

    const ctx = createExecutionContext();
    await worker.scheduled(createScheduledController({ scheduledTime: now, cron: "*/5 * * * *" }), env, ctx);
    await waitOnExecutionContext(ctx);
    const run = await env.DB.prepare("SELECT id FROM runs WHERE trigger = 'cron'").first<{ id: string }>();
    expect(await waitForRun(run?.id ?? "")).toMatchObject({ status: "completed", feeds_checked: 2 });
    expect(internet.requests.map((r) => r.url).sort()).toEqual(["https://a.example/feed", "https://b.example/feed"]);
    for (const id of due) expect((await getFeed(env.DB, id))?.last_status).toBe("ok");
  });
});
