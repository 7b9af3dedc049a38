import { createExecutionContext, createScheduledController, env, waitOnExecutionContext } from "cloudflare:test";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import worker from "../../src/index";
import { type FakeInternet, fakeInternet } from "../helpers/fake-internet";
import { addFeed, resetFeedTables, rss, waitForRun } from "./helpers";

let internet: FakeInternet;
beforeEach(async () => {
  await resetFeedTables();
  internet = fakeInternet();
});
afterEach(() => internet.restore());

/** Runs the Worker's real scheduled handler and waits for its waitUntil work. */
async function tick(at: Date): Promise<void> {
  const ctx = createExecutionContext();
  await worker.scheduled(createScheduledController({ scheduledTime: at, cron: "*/5 * * * *" }), env, ctx);
  await waitOnExecutionContext(ctx);
}

describe("cron: the scheduled handler", () => {
  it("starts a cron run over the due feeds only, and prunes old item text", async () => {
    const now = new Date();
    const due = await addFeed("https://due.example/feed", new Date(now.getTime() - 60_000));
    const notDue = await addFeed("https://later.example/feed", now);
    await env.DB.prepare("UPDATE feeds SET next_check_at = ? WHERE id = ?")
      .bind(new Date(now.getTime() + 3600_000).toISOString(), notDue)
      .run();
    // An item first seen long ago, past ITEM_RETENTION_DAYS (90).
    await env.DB.prepare(
      `INSERT INTO items (id, feed_id, item_key, title, summary, first_seen_at, updated_at, content_hash)
       VALUES ('itm_old', ?1, 'guid:old', 'Old', 'Old text', '2020-01-01T00:00:00.000Z', '2020-01-01T00:00:00.000Z', 'h')`,
    )
      .bind(notDue)
      .run();
    // Feeds declared in storylines.json are synced by the same tick: answer them with a 404.
    internet.on("http*", new Response("not here", { status: 404 }));
    internet.on("https://due.example/feed", rss([{ guid: "n1", title: "Fresh" }]));

    await tick(now);

    const run = await env.DB.prepare("SELECT * FROM runs ORDER BY started_at DESC").first<{
      id: string;
      trigger: string;
    }>();
    expect(run?.trigger).toBe("cron");
    const taken = await env.DB.prepare("SELECT feed_id FROM run_feeds WHERE run_id = ?")
      .bind(run?.id)
      .all<{ feed_id: string }>();
    expect(taken.results.map((r) => r.feed_id)).toContain(due);
    expect(taken.results.map((r) => r.feed_id)).not.toContain(notDue);
    expect(await waitForRun(run?.id ?? "")).toMatchObject({ status: "completed", items_new: 1 });
    expect(internet.requestsTo("https://later.example/")).toHaveLength(0);
    expect((await env.DB.prepare("SELECT last_status FROM feeds WHERE id = ?").bind(due).first())?.last_status).toBe(
      "ok",
    );
    const old = await env.DB.prepare("SELECT title, summary, pruned_at FROM items WHERE id = 'itm_old'").first();
    expect(old).toMatchObject({ title: null, summary: null, pruned_at: expect.any(String) });

    // A tick with nothing due records no run.
    await tick(now);
    const runs = await env.DB.prepare("SELECT count(*) AS n FROM runs").first<{ n: number }>();
    expect(runs?.n).toBe(1);
  });
});
