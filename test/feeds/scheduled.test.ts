import { createExecutionContext, createScheduledController, env, waitOnExecutionContext } from "cloudflare:test";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { scheduler } from "../../src/feeds/scheduler-object";
import worker from "../../src/index";
import { type FakeInternet, fakeInternet } from "../helpers/fake-internet";
import { addFeed, feedsOfRun, resetFeedTables, rss, waitForRun } from "./helpers";

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
    const taken = await feedsOfRun(run?.id);
    expect(taken).toContain(due);
    expect(taken).not.toContain(notDue);
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

  it("forgets the scheduler object's old runs a bounded number of rows at a time, the oldest first", async () => {
    const base = Date.parse("2027-01-01T00:00:00.000Z");
    const feeds = Array.from({ length: 10 }, (_, i) => ({
      id: `feed_${i}`,
      next_check_at: "2027-01-01T00:00:00.000Z",
      last_checked_at: null,
    }));
    for (let r = 0; r < 5; r++) {
      const at = new Date(base + r * 3_600_000).toISOString();
      await scheduler(env).take({
        runId: `run_${r}`,
        now: at,
        leaseUntil: at,
        dueOnly: false,
        limit: 10,
        candidates: feeds,
        keepEmpty: true,
      });
    }
    const cutoff = "2027-02-01T00:00:00.000Z";
    // Eleven rows a run (the run and its ten feeds): a budget of 25 takes two runs a call.
    expect(await scheduler(env).forgetRunsBefore(cutoff, 25)).toBe(2);
    expect(await feedsOfRun("run_0")).toEqual([]);
    expect(await feedsOfRun("run_1")).toEqual([]);
    expect(await feedsOfRun("run_2")).toHaveLength(10);
    expect(await scheduler(env).forgetRunsBefore(cutoff, 25)).toBe(2);
    expect(await scheduler(env).forgetRunsBefore(cutoff, 25)).toBe(1);
    expect(await scheduler(env).forgetRunsBefore(cutoff, 25)).toBe(0);
    expect(await feedsOfRun("run_4")).toEqual([]);
    // A run larger than the whole budget still goes, alone.
    await scheduler(env).take({
      runId: "run_big",
      now: new Date(base).toISOString(),
      leaseUntil: new Date(base).toISOString(),
      dueOnly: false,
      limit: 10,
      candidates: feeds,
      keepEmpty: true,
    });
    expect(await scheduler(env).forgetRunsBefore(cutoff, 3)).toBe(1);
    expect(await feedsOfRun("run_big")).toEqual([]);
  });

  it("deletes runs and finished deliveries older than HISTORY_RETENTION_DAYS (30), keeping the rest", async () => {
    const now = new Date();
    const old = new Date(now.getTime() - 31 * 86_400_000).toISOString();
    const recent = new Date(now.getTime() - 86_400_000).toISOString();
    await env.DB.batch([
      env.DB.prepare(
        `INSERT INTO runs (id, trigger, status, started_at) VALUES
           ('run_old', 'cron', 'completed', ?1), ('run_stuck', 'cron', 'running', ?1), ('run_recent', 'cron', 'completed', ?2)`,
      ).bind(old, recent),
      env.DB.prepare(
        `INSERT INTO webhooks (id, url, format, event_types, secret_ciphertext, created_at)
         VALUES ('whk_ret', 'https://hooks.example/in', 'standard', '["development.created"]', 'x', ?1)`,
      ).bind(old),
      env.DB.prepare(
        `INSERT INTO deliveries (id, webhook_id, event_id, message_id, event_type, payload, state, created_at, updated_at) VALUES
           ('dlv_old_ok', 'whk_ret', 'e1', 'msg_1', 'development.created', '{}', 'succeeded', ?1, ?1),
           ('dlv_old_dead', 'whk_ret', 'e2', 'msg_2', 'development.created', '{}', 'dead', ?1, ?1),
           ('dlv_old_retrying', 'whk_ret', 'e3', 'msg_3', 'development.created', '{}', 'failed', ?1, ?1),
           ('dlv_recent', 'whk_ret', 'e4', 'msg_4', 'development.created', '{}', 'succeeded', ?2, ?2)`,
      ).bind(old, recent),
      env.DB.prepare(
        "INSERT INTO delivery_attempts (delivery_id, attempt, attempted_at, status_code) VALUES ('dlv_old_ok', 1, ?1, 200)",
      ).bind(old),
    ]);
    // The old run's per-feed record, in the scheduler object.
    await scheduler(env).take({
      runId: "run_old",
      now: old,
      leaseUntil: old,
      dueOnly: false,
      limit: 1,
      candidates: [{ id: "feed_x", next_check_at: old, last_checked_at: null }],
      keepEmpty: true,
    });
    expect(await feedsOfRun("run_old")).toEqual(["feed_x"]);
    internet.on("http*", new Response("not here", { status: 404 }));

    await tick(now);

    const ids = async (sql: string) =>
      (await env.DB.prepare(sql).all<{ id: string }>()).results.map((r) => r.id).sort();
    // A run left running by a dead poller is ended by the tick's sweep, then pruned like any other.
    expect(await ids("SELECT id FROM runs WHERE id IN ('run_old', 'run_stuck', 'run_recent')")).toEqual(["run_recent"]);
    expect(await feedsOfRun("run_old")).toEqual([]);
    expect(await ids("SELECT id FROM deliveries WHERE webhook_id = 'whk_ret'")).toEqual([
      "dlv_old_retrying",
      "dlv_recent",
    ]);
    expect(await ids("SELECT delivery_id AS id FROM delivery_attempts WHERE delivery_id = 'dlv_old_ok'")).toEqual([]);
  });
});
