import { env, runInDurableObject } from "cloudflare:test";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import type { IngestRequest, StoredItem, StorylineRecord } from "../../src/contracts";
import corpus from "../fixtures/corpora/corpus-dev.json";
import { api } from "../helpers/api";
import { type FakeInternet, fakeInternet } from "../helpers/fake-internet";

// The real detector over real corpus text; only the webhook receiver (outside internet) is fake.
const MINERALS = corpus.storylines.find((s) => s.id === "us-ukraine-minerals-deal");
if (!MINERALS) throw new Error("corpus changed: no minerals storyline");

interface CorpusItem {
  feed: string;
  id: string;
  title: string;
  summary: string;
  content?: string;
  link: string;
  published: string;
  author?: string;
}

const feedTitles = new Map(corpus.feeds.map((f) => [f.id, f.title]));

function storedItem(item: CorpusItem, baseline: boolean): StoredItem {
  return {
    id: `itm_${item.id}`,
    feedId: `feed_${item.feed}`,
    feedTitle: feedTitles.get(item.feed) ?? null,
    url: item.link,
    title: item.title,
    summary: item.summary,
    content: item.content ?? "",
    author: item.author ?? null,
    publishedAt: item.published,
    firstSeenAt: new Date().toISOString(),
    baseline,
    updated: false,
  };
}

/** The corpus items of one tick that mention the minerals deal (a stand-in for the query matcher). */
function tickItems(tick: number, baseline: boolean): StoredItem[] {
  const ticks = corpus.ticks as Array<{ items: CorpusItem[] }>;
  return (ticks[tick]?.items ?? [])
    .filter((i) =>
      /mineral|rare earth|resources deal|natural resources/i.test(`${i.title} ${i.summary} ${i.content ?? ""}`),
    )
    .map((i) => storedItem(i, baseline));
}

let counter = 0;
let storyline: StorylineRecord;
let internet: FakeInternet;

async function createStoryline(): Promise<StorylineRecord> {
  counter++;
  const id = `minerals-${counter}-${crypto.randomUUID().slice(0, 8)}`;
  const now = new Date().toISOString();
  await env.DB.prepare(
    `INSERT INTO storylines (id, title, kind, query, feed_key, created_at, updated_at)
     VALUES (?, ?, 'agreement', ?, 'key', ?, ?)`,
  )
    .bind(id, MINERALS?.title, MINERALS?.query, now, now)
    .run();
  return {
    id,
    title: MINERALS?.title ?? "",
    kind: "agreement",
    query: MINERALS?.query ?? "",
    feeds: null,
    alertOn: ["status_change", "new_fact"],
    aliases: null,
    participants: null,
    source: "api",
    active: true,
    status: null,
    facts: {},
    createdAt: now,
    updatedAt: now,
  };
}

const stub = (id: string) => env.STORYLINES.get(env.STORYLINES.idFromName(id));

function ingest(items: StoredItem[], s = storyline) {
  const request: IngestRequest = { storyline: s, items, runId: null };
  return stub(s.id).ingest(request);
}

async function counts(storylineId: string) {
  const developments = await env.DB.prepare(
    "SELECT COUNT(*) AS n, SUM(baseline) AS baseline, SUM(alerted) AS alerted FROM developments WHERE storyline_id = ?",
  )
    .bind(storylineId)
    .first<{ n: number; baseline: number | null; alerted: number | null }>();
  const deliveries = await env.DB.prepare(
    "SELECT COUNT(*) AS n, COUNT(DISTINCT event_id) AS events FROM deliveries WHERE event_id IN (SELECT id || ':created' FROM developments WHERE storyline_id = ?)",
  )
    .bind(storylineId)
    .first<{ n: number; events: number }>();
  return {
    developments: developments?.n ?? 0,
    baseline: developments?.baseline ?? 0,
    alerted: developments?.alerted ?? 0,
    deliveries: deliveries?.n ?? 0,
    events: deliveries?.events ?? 0,
  };
}

beforeEach(async () => {
  internet = fakeInternet();
  internet.on("https://hooks.example/*", new Response(null, { status: 204 }));
  const res = await api("/v1/webhooks", { method: "POST", json: { url: "https://hooks.example/storywatch" } });
  expect(res.status).toBe(201);
  storyline = await createStoryline();
});

afterEach(async () => {
  internet.restore();
  await env.DB.prepare("DELETE FROM webhooks").run();
});

describe("StorylineDetector", () => {
  it("builds the baseline silently: developments marked baseline, status set, no deliveries", async () => {
    const items = tickItems(0, true);
    expect(items.length).toBeGreaterThan(0);
    const result = await ingest(items);
    expect(result.developments).toBeGreaterThan(0);
    expect(result.alerts).toBe(0);
    const after = await counts(storyline.id);
    expect(after.developments).toBe(result.developments);
    expect(after.baseline).toBe(after.developments);
    expect(after.deliveries).toBe(0);
    const row = await env.DB.prepare("SELECT status, last_development_id FROM storylines WHERE id = ?")
      .bind(storyline.id)
      .first<{ status: string | null; last_development_id: string | null }>();
    expect(row?.status).toBe("proposed");
  });

  it("alerts a new development once, and writes the KV status snapshot", async () => {
    await ingest(tickItems(0, true));
    const result = await ingest(tickItems(3, false));
    expect(result.developments).toBeGreaterThan(0);
    expect(result.alerts).toBeGreaterThan(0);
    const after = await counts(storyline.id);
    expect(after.deliveries).toBe(after.events);
    expect(after.deliveries).toBe(after.alerted);
    expect(after.alerted).toBeGreaterThan(0);

    // The alert body carries the storyline as the API shows it (minus the feed key) and the development.
    const delivery = await env.DB.prepare(
      "SELECT event_id, event_type, payload FROM deliveries WHERE event_id LIKE '%:created' AND payload LIKE ? LIMIT 1",
    )
      .bind(`%"id":"${storyline.id}"%`)
      .first<{ event_id: string; event_type: string; payload: string }>();
    expect(delivery?.event_type).toBe("development.created");
    const body = JSON.parse(delivery?.payload ?? "{}") as {
      type: string;
      data: { storyline: Record<string, unknown>; development: { id: string; baseline: boolean; sources: unknown[] } };
    };
    expect(body.type).toBe("development.created");
    expect(body.data.storyline).toMatchObject({ id: storyline.id, title: storyline.title, kind: "agreement" });
    expect(body.data.storyline).toHaveProperty("status");
    expect(body.data.storyline).toHaveProperty("facts");
    expect(body.data.storyline).not.toHaveProperty("feed_key");
    expect(`${body.data.development.id}:created`).toBe(delivery?.event_id);
    expect(body.data.development.baseline).toBe(false);
    expect(body.data.development.sources.length).toBeGreaterThan(0);
  });

  it("makes one development and one alert when the same items arrive twice", async () => {
    await ingest(tickItems(0, true));
    const items = tickItems(3, false);
    const first = await ingest(items);
    const once = await counts(storyline.id);
    const second = await ingest(items);
    expect(second).toEqual({ developments: 0, alerts: 0 });
    expect(await counts(storyline.id)).toEqual(once);
    expect(first.alerts).toBe(once.deliveries);
  });

  it("serialises two ingests racing with the same items: no duplicate developments or deliveries", async () => {
    await ingest(tickItems(0, true));
    const items = tickItems(3, false);
    const [a, b] = await Promise.all([ingest(items), ingest([...items].reverse())]);
    const after = await counts(storyline.id);
    expect(a.developments + b.developments).toBe(after.developments - (await baselineCount()));
    expect(Math.min(a.alerts, b.alerts)).toBe(0);
    expect(after.deliveries).toBe(after.events);
    expect(after.deliveries).toBe(a.alerts + b.alerts);
  });

  it("re-runs the same actions idempotently after a crash between the D1 writes and the state save", async () => {
    await ingest(tickItems(0, true));
    const saved = await runInDurableObject(stub(storyline.id), (_instance, state) =>
      state.storage.sql.exec<{ state: string }>("SELECT state FROM detector_state").one(),
    );
    const items = tickItems(3, false);
    const first = await ingest(items);
    expect(first.alerts).toBeGreaterThan(0);
    const once = await counts(storyline.id);

    // The crash: D1 and the deliveries were written, but the object's state save was lost.
    await runInDurableObject(stub(storyline.id), (_instance, state) => {
      state.storage.sql.exec("UPDATE detector_state SET state = ?", saved.state);
      for (const item of items) state.storage.sql.exec("DELETE FROM processed_items WHERE item_id = ?", item.id);
    });
    const rerun = await ingest(items);
    expect(rerun.developments).toBe(0);
    expect(await counts(storyline.id)).toEqual(once);
  });

  it("still sends the alert on the re-run when the crash came before it was enqueued", async () => {
    await ingest(tickItems(0, true));
    const saved = await runInDurableObject(stub(storyline.id), (_instance, state) =>
      state.storage.sql.exec<{ state: string }>("SELECT state FROM detector_state").one(),
    );
    const items = tickItems(3, false);
    await ingest(items);
    const once = await counts(storyline.id);
    expect(once.deliveries).toBeGreaterThan(0);

    // The crash: developments written to D1, then nothing (no deliveries, not marked alerted, no state save).
    await env.DB.batch([
      env.DB.prepare(
        "DELETE FROM deliveries WHERE event_id IN (SELECT id || ':created' FROM developments WHERE storyline_id = ?)",
      ).bind(storyline.id),
      env.DB.prepare("UPDATE developments SET alerted = 0 WHERE storyline_id = ?").bind(storyline.id),
    ]);
    await runInDurableObject(stub(storyline.id), (_instance, state) => {
      state.storage.sql.exec("UPDATE detector_state SET state = ?", saved.state);
      for (const item of items) state.storage.sql.exec("DELETE FROM processed_items WHERE item_id = ?", item.id);
    });
    const rerun = await ingest(items);
    expect(rerun.developments).toBe(0);
    expect(rerun.alerts).toBe(once.deliveries);
    expect(await counts(storyline.id)).toEqual(once);
  });

  it("runs an item edited in place through the detector again, but not an unchanged repeat", async () => {
    await ingest(tickItems(0, true));
    const [original] = tickItems(3, false);
    if (!original) throw new Error("corpus changed: no tick-3 minerals item");
    await ingest([original]);
    const fingerprint = () =>
      runInDurableObject(stub(storyline.id), (_instance, state) =>
        state.storage.sql
          .exec<{ fingerprint: string }>("SELECT fingerprint FROM processed_items WHERE item_id = ?", original.id)
          .one(),
      );
    const before = await fingerprint();
    expect(await ingest([original])).toEqual({ developments: 0, alerts: 0 });
    expect(await fingerprint()).toEqual(before);

    const edited = { ...original, summary: `${original.summary} Updated with a correction.`, updated: true };
    await ingest([edited]);
    expect((await fingerprint()).fingerprint).not.toBe(before.fingerprint);
  });

  it("ignores a batch for a storyline that no longer exists, and starts over for a new one with the same id", async () => {
    await ingest(tickItems(0, true));
    await env.DB.prepare("DELETE FROM storylines WHERE id = ?").bind(storyline.id).run();
    expect(await ingest(tickItems(3, false))).toEqual({ developments: 0, alerts: 0 });

    const later = new Date(Date.now() + 1000).toISOString();
    await env.DB.prepare(
      `INSERT INTO storylines (id, title, kind, query, feed_key, created_at, updated_at)
       VALUES (?, ?, 'agreement', ?, 'key', ?, ?)`,
    )
      .bind(storyline.id, storyline.title, storyline.query, later, later)
      .run();
    const reborn = { ...storyline, createdAt: later, updatedAt: later };
    // Its first batch is a baseline again: nothing the old incarnation saw leaks into it.
    const result = await ingest(tickItems(0, true), reborn);
    expect(result.developments).toBeGreaterThan(0);
    expect(result.alerts).toBe(0);
  });
});

async function baselineCount(): Promise<number> {
  return (await counts(storyline.id)).baseline;
}
