import { env, runInDurableObject } from "cloudflare:test";
import { LEASE_MS } from "../../src/feeds/poller";
import { startRun } from "../../src/feeds/scheduler";
import { scheduler, withSchedules } from "../../src/feeds/scheduler-object";
import { createFeed } from "../../src/feeds/service";
import { type FeedRow, getFeed } from "../../src/store/feeds";
import { newRunId, type RunRow } from "../../src/store/runs";

/** Empties the feed tables and the scheduler object's (storage is shared by the tests of one file). */
export async function resetFeedTables(): Promise<void> {
  await runInDurableObject(scheduler(env), (_instance, state) => {
    state.storage.sql.exec("DELETE FROM run_feeds; DELETE FROM runs; DELETE FROM schedule;");
  });
  await env.DB.batch([
    env.DB.prepare("DELETE FROM runs"),
    env.DB.prepare("DELETE FROM items"),
    env.DB.prepare("DELETE FROM feeds"),
    env.DB.prepare("DELETE FROM deliveries"),
    env.DB.prepare("DELETE FROM webhooks"),
  ]);
}

export async function addFeed(url: string, now = new Date("2025-08-13T12:00:00Z")): Promise<string> {
  return (await createFeed(env, { url }, now)).id;
}

/**
 * What runTick does, minus the queue: leases feeds and records the run, so a test can drive
 * pollFeed itself without the local queue consumer racing it.
 */
export async function startRunWithoutQueue(now: Date, dueOnly = false): Promise<{ run: RunRow; feedIds: string[] }> {
  const started = await startRun(env, {
    id: newRunId(),
    trigger: "manual",
    now: now.toISOString(),
    leaseUntil: new Date(now.getTime() + LEASE_MS).toISOString(),
    dueOnly,
    limit: 10_000,
  });
  if (!started) throw new Error("a manual run always starts");
  return started;
}

/** Feeds an open run still holds: queued in it (the lease, see startRun), as the scheduler object says. */
export function heldFeeds(): Promise<string[]> {
  return scheduler(env).queuedFeeds();
}

/** The feeds a run took, as the scheduler object says. */
export async function feedsOfRun(runId: string | undefined): Promise<string[]> {
  return (await scheduler(env).runFeeds(runId ?? "")).map((r) => r.feed_id);
}

/**
 * Items of these feeds written after their feed's dispatched-through mark (handed to matching
 * by no check yet): the mark as the scheduler object keeps it, when newer than D1's.
 */
export async function undispatchedItems(feedIds: string[]): Promise<Set<string>> {
  const { results: feeds } = await env.DB.prepare("SELECT * FROM feeds WHERE id IN (SELECT value FROM json_each(?))")
    .bind(JSON.stringify(feedIds))
    .all<FeedRow>();
  const through = new Map((await withSchedules(env, feeds)).map((f) => [f.id, f.dispatched_through ?? ""]));
  const { results: items } = await env.DB.prepare(
    "SELECT id, feed_id, updated_at FROM items WHERE feed_id IN (SELECT value FROM json_each(?))",
  )
    .bind(JSON.stringify(feedIds))
    .all<{ id: string; feed_id: string; updated_at: string }>();
  return new Set(items.filter((i) => i.updated_at > (through.get(i.feed_id) ?? "")).map((i) => i.id));
}

/** A feed as the API shows it now (its schedule from the scheduler object, when newer than D1's). */
export async function feedNow(feedId: string): Promise<FeedRow | null> {
  const row = await getFeed(env.DB, feedId);
  return row && ((await withSchedules(env, [row]))[0] ?? null);
}

export function rss(items: Array<{ guid: string; title: string; date?: string }>): string {
  const body = items
    .map(
      (i) =>
        `<item><guid isPermaLink="false">${i.guid}</guid><title>${i.title}</title><link>https://news.example/${i.guid}</link>` +
        `<description>About ${i.title}</description><pubDate>${i.date ?? "Tue, 12 Aug 2025 18:03:00 GMT"}</pubDate></item>`,
    )
    .join("");
  return `<?xml version="1.0"?><rss version="2.0"><channel><title>News</title><link>https://news.example/</link>${body}</channel></rss>`;
}

/** Polls GET /v1/runs/:id until the run leaves `running` (the local queue consumer works it). */
export async function waitForRun(runId: string, timeoutMs = 60_000): Promise<Record<string, unknown>> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const run = await env.DB.prepare("SELECT * FROM runs WHERE id = ?").bind(runId).first<Record<string, unknown>>();
    if (!run) throw new Error(`no run ${runId}`);
    if (run.status !== "running" || Date.now() > deadline) return run;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}
