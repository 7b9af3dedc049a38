import { env } from "cloudflare:test";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { runTick } from "../../src/feeds/scheduler";
import { type FakeInternet, fakeInternet } from "../helpers/fake-internet";
import { heldFeeds, resetFeedTables, rss, waitForRun } from "./helpers";

const FEEDS = 1_000;

let internet: FakeInternet;
beforeEach(async () => {
  await resetFeedTables();
  internet = fakeInternet();
});
afterEach(() => internet.restore());

describe("scale: 1,000 feeds through the polls queue", () => {
  it("one cron tick leases, enqueues and completes them all, each fetched exactly once", {
    timeout: 240_000,
  }, async () => {
    const now = new Date();
    const created = now.toISOString();
    // Insert the feeds directly in chunks (the API path is tested elsewhere): 5 columns × 20 rows per statement.
    const statements: D1PreparedStatement[] = [];
    for (let i = 0; i < FEEDS; i += 20) {
      const rows = Array.from({ length: Math.min(20, FEEDS - i) }, (_, j) => i + j);
      statements.push(
        env.DB.prepare(
          `INSERT INTO feeds (id, url, created_at, next_check_at) VALUES ${rows.map(() => "(?, ?, ?, ?)").join(",")}`,
        ).bind(...rows.flatMap((n) => [`feed_scale${n}`, `https://scale.example/${n}.xml`, created, created])),
      );
    }
    await env.DB.batch(statements);
    // Every feed serves two items of its own; the fake internet answers each URL.
    internet.on("https://scale.example/*", (request) => {
      const n = new URL(request.url).pathname.replace(/\D/g, "");
      return new Response(
        rss([
          { guid: `s${n}-1`, title: `Feed ${n} one` },
          { guid: `s${n}-2`, title: `Feed ${n} two` },
        ]),
      );
    });

    const run = await runTick(env, "cron", now);
    expect(run).toMatchObject({ trigger: "cron", status: "running", feeds_total: FEEDS });
    // An overlapping tick takes nothing: every feed is leased.
    expect(await runTick(env, "cron", now)).toBeNull();

    const done = await waitForRun(run?.id ?? "", 200_000);
    expect(done).toMatchObject({ status: "completed", feeds_checked: FEEDS, feeds_failed: 0, items_new: 2 * FEEDS });

    const fetched = internet.requestsTo("https://scale.example/").map((r) => r.url);
    expect(fetched).toHaveLength(FEEDS);
    expect(new Set(fetched).size).toBe(FEEDS);
    const counts = await env.DB.prepare(
      "SELECT (SELECT count(*) FROM items) AS items, (SELECT count(*) FROM feeds WHERE last_status = 'ok') AS ok",
    ).first<{ items: number; ok: number }>();
    expect(counts).toEqual({ items: 2 * FEEDS, ok: FEEDS });
    expect(await heldFeeds()).toEqual([]);
  });
});
