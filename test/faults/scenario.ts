/**
 * One storywatch deployment's worth of news, end to end: the five corpus feeds served by the
 * fake internet tick by tick, the two corpus storylines, and a webhook receiver. Each fault
 * test runs the same ticks under its fault and compares what came out (items, developments,
 * alerts) with a clean run of the same ticks.
 */
import {
  createExecutionContext,
  createScheduledController,
  env,
  runInDurableObject,
  waitOnExecutionContext,
} from "cloudflare:test";
import { expect, vi } from "vitest";
import worker from "../../src/index";
import { createHook } from "../alerts/helpers";
import { addFeed, undispatchedItems, waitForRun } from "../feeds/helpers";
import corpus from "../fixtures/corpora/corpus-dev.json";
import type { FakeInternet } from "../helpers/fake-internet";

interface CorpusItem {
  feed: string;
  id: string;
  title: string;
  summary: string;
  content?: string;
  link: string;
  published: string;
}

const ticks = corpus.ticks as Array<{ at: string; items: CorpusItem[] }>;
/**
 * The corpus ticks the publishers step through (each step shows everything published by
 * then): the first is each feed's baseline; the rest bring minerals-deal and then Istanbul news.
 */
const STEPS = [0, 3, 5, 11, 13, 16];
export const TICKS = STEPS.length;
export const CORPUS_FEEDS = corpus.feeds.map((f) => f.id);

const escapeXml = (text: string) =>
  text.replace(/[&<>"]/g, (c) => ({ "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;" })[c] ?? c);

/** The items one corpus feed shows at one tick: everything published by then. */
export function itemsAt(feed: string, step: number): CorpusItem[] {
  const tick = STEPS[step] ?? 0;
  const at = Date.parse(ticks[tick]?.at ?? "");
  return ticks
    .slice(0, tick + 1)
    .flatMap((t) => t.items)
    .filter((item) => item.feed === feed && Date.parse(item.published) <= at);
}

/** RSS 2.0 for one corpus feed at one step, newest first (the corpus text, plainly rendered). */
export function renderRss(feed: string, step: number): string {
  const items = itemsAt(feed, step)
    .toReversed()
    .map(
      (i) =>
        `<item><guid isPermaLink="false">${escapeXml(i.id)}</guid><title>${escapeXml(i.title)}</title>` +
        `<link>${escapeXml(i.link)}</link><description>${escapeXml(i.summary)}</description>` +
        `<content:encoded>${escapeXml(i.content ?? "")}</content:encoded>` +
        `<pubDate>${new Date(i.published).toUTCString()}</pubDate></item>`,
    )
    .join("");
  return `<?xml version="1.0" encoding="UTF-8"?><rss version="2.0" xmlns:content="http://purl.org/rss/1.0/modules/content/"><channel><title>${escapeXml(feed)}</title><link>https://${feed}.example/</link>${items}</channel></rss>`;
}

export interface Scenario {
  name: string;
  /** corpus feed id → storywatch feed id */
  feeds: Map<string, string>;
  feedUrl(corpusFeed: string): string;
  /** corpus storyline id → this scenario's storyline id */
  storylines: Map<string, string>;
  hook: { id: string; secret: string; url: string };
  /** The tick the fake publishers are at. */
  tick: number;
  /** webhook-id header of every request the receiver got, in order (repeats included). */
  received: string[];
  /** The receiver answers 503 while this is true. */
  receiverDown: boolean;
}

/**
 * Feeds, storylines (watching only this scenario's feeds) and a webhook (hearing only this
 * scenario's storylines), with routes on the fake internet. The feeds declared in
 * storylines.json, synced by every cron tick, answer 404.
 */
export async function setupScenario(name: string, internet: FakeInternet): Promise<Scenario> {
  internet.on("http*", new Response("not here", { status: 404 }));
  const scenario: Scenario = {
    name,
    feeds: new Map(),
    feedUrl: (feed) => `https://${name}.${feed}.example/feed.xml`,
    storylines: new Map(),
    hook: { id: "", secret: "", url: `https://hooks.example/${name}` },
    tick: 0,
    received: [],
    receiverDown: false,
  };
  for (const feed of CORPUS_FEEDS) {
    // ETag per tick (RFC 9110 §13.1.2): a matching If-None-Match gets a 304, so KV validators matter.
    internet.on(scenario.feedUrl(feed), (request) => {
      const etag = `"${feed}-${scenario.tick}"`;
      if (request.headers.get("if-none-match") === etag) return new Response(null, { status: 304, headers: { etag } });
      return new Response(renderRss(feed, scenario.tick), { headers: { etag, "content-type": "application/rss+xml" } });
    });
    scenario.feeds.set(feed, await addFeed(scenario.feedUrl(feed), new Date("2025-01-01T00:00:00Z")));
  }
  const created = "2025-01-01T00:00:00.000Z";
  for (const storyline of corpus.storylines) {
    const id = `${name}-${storyline.id}`;
    scenario.storylines.set(storyline.id, id);
    await env.DB.prepare(
      `INSERT INTO storylines (id, title, kind, query, feeds, feed_key, created_at, updated_at)
       VALUES (?1, ?2, ?3, ?4, ?5, 'key', ?6, ?6)`,
    )
      .bind(id, storyline.title, storyline.kind, storyline.query, JSON.stringify([...scenario.feeds.values()]), created)
      .run();
  }
  internet.on(scenario.hook.url, (_request, recorded) => {
    scenario.received.push(recorded.headers["webhook-id"] ?? "");
    return new Response(null, { status: scenario.receiverDown ? 503 : 204 });
  });
  scenario.hook = await createHook(scenario.hook.url, { storylines: [...scenario.storylines.values()] });
  return scenario;
}

/** The scheduled time of cron tick `tick`: a day apart, so every feed is due again. */
export const cronTime = (tick: number) => new Date(Date.now() + (tick + 1) * 26 * 3600_000);

/** Runs the Worker's real scheduled handler (storylines.json sync, sweep, runTick, prune). */
export async function cron(at: Date): Promise<void> {
  const ctx = createExecutionContext();
  await worker.scheduled(createScheduledController({ scheduledTime: at, cron: "*/5 * * * *" }), env, ctx);
  await waitOnExecutionContext(ctx);
}

/** Waits until every run has left `running` (the local polls queue works them). */
export async function waitForAllRuns(): Promise<void> {
  const { results } = await env.DB.prepare("SELECT id FROM runs WHERE status = 'running'").all<{ id: string }>();
  for (const run of results) {
    const done = await waitForRun(run.id, 60_000);
    expect(done.status, `run ${run.id}`).not.toBe("running");
  }
}

/** Waits until every delivery of the scenario's webhook has succeeded (the deliveries queue works them). */
export async function waitForDeliveries(scenario: Scenario, timeout = 30_000): Promise<void> {
  await vi.waitFor(
    async () => {
      const rows = await env.DB.prepare("SELECT state FROM deliveries WHERE webhook_id = ?")
        .bind(scenario.hook.id)
        .all<{ state: string }>();
      expect(rows.results.filter((r) => r.state !== "succeeded")).toEqual([]);
    },
    { timeout, interval: 250 },
  );
}

/** What a run of the ticks produced, in terms that do not depend on the scenario's ids. */
export interface Outcome {
  /** corpus item id → times stored (must be 1 each) */
  items: Record<string, number>;
  undispatched: number;
  /** corpus storyline id → sorted dev_keys (the detector's identity of each development) */
  developments: Record<string, string[]>;
  /** corpus storyline id → item keys its detector has run (its Durable Object's processed_items) */
  processed: Record<string, string[]>;
  /** corpus storyline id → sorted "dev_key|event suffix" of every delivery */
  alerts: Record<string, string[]>;
  deliveries: number;
  distinctEvents: number;
  /** distinct webhook-ids the receiver got */
  receivedIds: number;
}

export async function outcome(scenario: Scenario): Promise<Outcome> {
  const feedIds = [...scenario.feeds.values()];
  const { results: rows } = await env.DB.prepare(
    "SELECT i.id, i.item_key FROM items i JOIN feeds f ON f.id = i.feed_id WHERE i.feed_id IN (SELECT value FROM json_each(?))",
  )
    .bind(JSON.stringify(feedIds))
    .all<{ id: string; item_key: string }>();
  // Whether matching has taken an item: the feed's dispatched-through mark, kept by the scheduler object.
  const pending = await undispatchedItems(feedIds);
  const items = rows.map((item) => ({ ...item, undispatched: pending.has(item.id) ? 1 : 0 }));
  // Development keys name the storyline and items by id; compare them by corpus names.
  const itemKeys = new Map(items.map((item) => [item.id, item.item_key]));
  const portable = (devKey: string, storylineId: string, corpusId: string) =>
    devKey
      .replaceAll(storylineId, corpusId)
      .replace(/itm_[a-z0-9]+/g, (itemId) => itemKeys.get(itemId) ?? `unknown ${itemId}`);
  const itemCounts: Record<string, number> = {};
  for (const item of items) itemCounts[item.item_key] = (itemCounts[item.item_key] ?? 0) + 1;

  const developments: Record<string, string[]> = {};
  const processed: Record<string, string[]> = {};
  const alerts: Record<string, string[]> = {};
  for (const [corpusId, id] of scenario.storylines) {
    const { results } = await env.DB.prepare(
      "SELECT id, dev_key FROM developments WHERE storyline_id = ? ORDER BY dev_key",
    )
      .bind(id)
      .all<{ id: string; dev_key: string }>();
    developments[corpusId] = results.map((r) => portable(r.dev_key, id, corpusId)).sort();
    const ran = await runInDurableObject(env.STORYLINES.get(env.STORYLINES.idFromName(id)), (_instance, state) =>
      state.storage.sql.exec<{ item_id: string }>("SELECT item_id FROM processed_items").toArray(),
    );
    processed[corpusId] = ran.map((r) => itemKeys.get(r.item_id) ?? `unknown ${r.item_id}`).sort();
    const keyOf = new Map(results.map((r) => [r.id, portable(r.dev_key, id, corpusId)]));
    const { results: events } = await env.DB.prepare(
      "SELECT event_id FROM deliveries WHERE webhook_id = ? AND json_extract(payload, '$.data.storyline.id') = ?",
    )
      .bind(scenario.hook.id, id)
      .all<{ event_id: string }>();
    alerts[corpusId] = events
      .map((e) => {
        const [devId, suffix] = e.event_id.split(":");
        return `${keyOf.get(devId ?? "") ?? `unknown ${devId}`}|${suffix}`;
      })
      .sort();
  }
  const deliveries = await env.DB.prepare(
    "SELECT count(*) AS n, count(DISTINCT event_id) AS events FROM deliveries WHERE webhook_id = ?",
  )
    .bind(scenario.hook.id)
    .first<{ n: number; events: number }>();
  return {
    items: itemCounts,
    undispatched: items.filter((i) => i.undispatched === 1).length,
    developments,
    processed,
    alerts,
    deliveries: deliveries?.n ?? 0,
    distinctEvents: deliveries?.events ?? 0,
    receivedIds: new Set(scenario.received).size,
  };
}

/** The corpus items every feed shows by the last tick: what must be stored, once each. */
export function expectedItems(lastTick = TICKS - 1): Record<string, number> {
  const expected: Record<string, number> = {};
  for (const feed of CORPUS_FEEDS) for (const item of itemsAt(feed, lastTick)) expected[`guid:${item.id}`] = 1;
  return expected;
}

/**
 * Asserts the guarantees against a clean run's outcome: every item stored once and matched,
 * the same developments, every alert delivered once (one delivery per event, each delivered).
 */
export async function expectSameAsClean(scenario: Scenario, clean: Outcome): Promise<Outcome> {
  const got = await outcome(scenario);
  expect(got.items).toEqual(clean.items);
  expect(got.undispatched).toBe(0);
  expect(got.processed).toEqual(clean.processed);
  expect(got.developments).toEqual(clean.developments);
  expect(got.alerts).toEqual(clean.alerts);
  expect(got.deliveries).toBe(got.distinctEvents);
  expect(got.deliveries).toBe(clean.deliveries);
  expect(got.receivedIds).toBe(got.deliveries);
  return got;
}

/**
 * For a storyline whose items arrived in other batches than in the clean run (it was down
 * and caught up): the detector ran every item the clean run gave it, once, and every alert
 * it raised went out once. Which items name its developments may differ (batching).
 */
export async function expectCaughtUp(scenario: Scenario, clean: Outcome, storyline: string): Promise<Outcome> {
  const got = await outcome(scenario);
  expect(got.items).toEqual(clean.items);
  expect(got.undispatched).toBe(0);
  expect(got.processed[storyline]).toEqual(clean.processed[storyline]);
  expect(got.developments[storyline]?.length).toBeGreaterThan(0);
  expect(got.deliveries).toBe(got.distinctEvents);
  expect(got.receivedIds).toBe(got.deliveries);
  return got;
}
