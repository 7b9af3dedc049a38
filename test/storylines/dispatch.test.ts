import { env } from "cloudflare:test";
import { beforeAll, describe, expect, it } from "vitest";
import type { DetectionMessage, StoredItem, StorylineRecord } from "../../src/contracts";
import { getStorylineRow, listActiveStorylines, listMatchingStorylines, toRecord } from "../../src/store/storylines";
import { dispatchItemBatch, matcherFor, matchItems } from "../../src/storylines/dispatch";
import corpus from "../fixtures/corpora/corpus-dev.json";
import { api } from "../helpers/api";
import { waitForDetections } from "../helpers/detections";

// Real corpus text in real D1, the real matcher and the real Storyline Durable Object.
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
const ticks = corpus.ticks as Array<{ at: string; items: CorpusItem[] }>;
const MINERALS = corpus.storylines.find((s) => s.id === "us-ukraine-minerals-deal");
if (!MINERALS) throw new Error("corpus changed: no minerals storyline");

const feedId = (feed: string) => `feed_${feed}`;

function storedItem(item: CorpusItem, firstSeenAt: string): StoredItem {
  return {
    id: `itm_${item.id}`,
    feedId: feedId(item.feed),
    feedTitle: corpus.feeds.find((f) => f.id === item.feed)?.title ?? null,
    url: item.link,
    title: item.title,
    summary: item.summary,
    content: item.content ?? "",
    author: item.author ?? null,
    publishedAt: item.published,
    firstSeenAt,
    baseline: false,
    updated: false,
  };
}

/** Writes items as the poller does, so they are there for a backfill. */
async function storeItems(items: StoredItem[]): Promise<void> {
  await env.DB.batch(
    items.map((item) =>
      env.DB.prepare(
        `INSERT INTO items (id, feed_id, item_key, url, title, summary, content, author, published_at, first_seen_at, updated_at, content_hash)
         VALUES (?1, ?2, ?1, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?9, 'hash') ON CONFLICT DO NOTHING`,
      ).bind(
        item.id,
        item.feedId,
        item.url,
        item.title,
        item.summary,
        item.content,
        item.author,
        item.publishedAt,
        item.firstSeenAt,
      ),
    ),
  );
}

async function developments(storylineId: string) {
  const { results } = await env.DB.prepare(
    `SELECT d.id, d.baseline, s.item_id FROM developments d JOIN development_sources s ON s.development_id = d.id
     WHERE d.storyline_id = ?`,
  )
    .bind(storylineId)
    .all<{ id: string; baseline: number; item_id: string }>();
  return results;
}

function storyline(id: string, query: string, feeds: string[] | null = null): StorylineRecord {
  return {
    id,
    title: id,
    kind: "topic",
    query,
    feeds,
    alertOn: ["status_change", "new_fact"],
    aliases: null,
    participants: null,
    source: "api",
    active: true,
    status: null,
    facts: {},
    createdAt: "2026-01-01T00:00:00.000Z",
    updatedAt: "2026-01-01T00:00:00.000Z",
  };
}

const toRecordOf = (id: string) => storyline(id, "x");

const detector = (id: string) => env.STORYLINES.get(env.STORYLINES.idFromName(id));

beforeAll(async () => {
  const now = new Date().toISOString();
  await env.DB.batch(
    corpus.feeds.map((feed) =>
      env.DB.prepare(
        "INSERT INTO feeds (id, url, title, created_at, next_check_at) VALUES (?1, ?2, ?3, ?4, ?4) ON CONFLICT DO NOTHING",
      ).bind(feedId(feed.id), `https://${feed.id}.example/feed`, feed.title, now),
    ),
  );
});

describe("backfill on create, then dispatch of new items", () => {
  it("builds a silent baseline from stored items and detects new ones", async () => {
    // Tick 0 was stored an hour before the storyline existed.
    const hourAgo = new Date(Date.now() - 3_600_000).toISOString();
    const old = (ticks[0]?.items ?? []).map((item) => storedItem(item, hourAgo));
    await storeItems(old);

    const res = await api("/v1/storylines", {
      method: "POST",
      json: { id: "minerals", title: MINERALS.title, kind: "agreement", query: MINERALS.query },
    });
    expect(res.status).toBe(201);
    const record = toRecord((await getStorylineRow(env.DB, "minerals")) ?? expect.fail("storyline not stored"));

    // The detector saw the matched old items, and made nothing of them but baseline.
    expect(await detector("minerals").state()).not.toBeNull();
    const baseline = await developments("minerals");
    expect(baseline.every((d) => d.baseline === 1)).toBe(true);
    const matchedOld = matchItems([record], old).get("minerals") ?? [];
    expect(matchedOld.length).toBeGreaterThan(0);
    expect(matchedOld.length).toBeLessThan(old.length + 1);
    for (const d of baseline) expect(matchedOld.map((i) => i.id)).toContain(d.item_id);

    // Later ticks arrive through dispatch, feed by feed, after the storyline was created, and
    // reach the detector through the detections queue.
    let queued = 0;
    for (const tick of ticks.slice(1, 6)) {
      const seen = new Date().toISOString();
      const byFeed = new Map<string, StoredItem[]>();
      for (const item of tick.items) {
        const stored = storedItem(item, seen);
        byFeed.set(stored.feedId, [...(byFeed.get(stored.feedId) ?? []), stored]);
      }
      const sent: DetectionMessage[] = [];
      for (const [feed, items] of byFeed) {
        await storeItems(items);
        const messages = await dispatchItemBatch(env, { runId: null, feedId: feed, items });
        // One message per matched storyline and batch, naming only items its query matches.
        for (const message of messages) {
          expect(message.storylineId).toBe("minerals");
          expect(message.itemIds.length).toBeGreaterThan(0);
        }
        sent.push(...messages);
      }
      queued += sent.length;
      await waitForDetections(sent);
    }
    expect(queued).toBeGreaterThan(0);
    const after = await developments("minerals");
    const fresh = after.filter((d) => d.baseline === 0);
    expect(fresh.length).toBeGreaterThan(0);
    // Every source of a new development is an item the query matches.
    const allItems = ticks.slice(1, 6).flatMap((t) => t.items.map((i) => storedItem(i, "")));
    const matchedIds = new Set((matchItems([record], allItems).get("minerals") ?? []).map((i) => i.id));
    for (const d of fresh) expect(matchedIds).toContain(d.item_id);
  });

  it("rebuilds the baseline when a PATCH changes the query", async () => {
    const created = await api("/v1/storylines", {
      method: "POST",
      json: { id: "requeried", title: "x", kind: "agreement", query: "Kilimanjaro AND giraffes" },
    });
    expect(created.status).toBe(201);
    expect(await detector("requeried").state()).toBeNull();
    const patched = await api("/v1/storylines/requeried", { method: "PATCH", json: { query: MINERALS.query } });
    expect(patched.status).toBe(200);
    // The stored items (tick 0 onwards, from the first test) reached the detector, as baseline.
    expect(await detector("requeried").state()).not.toBeNull();
    const made = await developments("requeried");
    expect(made.every((d) => d.baseline === 1)).toBe(true);
  });

  it("marks items first seen before the storyline existed as baseline", async () => {
    await api("/v1/storylines", {
      method: "POST",
      json: { id: "minerals-late", title: MINERALS.title, kind: "agreement", query: MINERALS.query },
    });
    // Tick 3 (terms agreed) as if first seen long before this storyline: old news, never alerted.
    const items = (ticks[3]?.items ?? []).map((item) => storedItem(item, "2025-02-26T21:00:00.000Z"));
    await storeItems(items);
    const sent: DetectionMessage[] = [];
    for (const [feed, batch] of Map.groupBy(items, (item) => item.feedId)) {
      sent.push(...(await dispatchItemBatch(env, { runId: null, feedId: feed, items: batch })));
    }
    await waitForDetections(sent);
    const made = await developments("minerals-late");
    expect(made.length).toBeGreaterThan(0);
    expect(made.every((d) => d.baseline === 1)).toBe(true);
  });

  it("sends a storyline only the feeds it watches", async () => {
    const watched = feedId("meridian-wire");
    await api("/v1/storylines", {
      method: "POST",
      json: { id: "minerals-one-feed", title: "x", kind: "agreement", query: MINERALS.query, feeds: [watched] },
    });
    // Its baseline came from the watched feed's stored items only.
    const fromBackfill = await developments("minerals-one-feed");
    expect(fromBackfill.every((d) => d.item_id.startsWith("itm_meridian-wire-"))).toBe(true);
    const items = (ticks[6]?.items ?? [])
      .filter((item) => feedId(item.feed) !== watched)
      .map((item) => storedItem(item, new Date().toISOString()));
    for (const [feed, batch] of Map.groupBy(items, (item) => item.feedId)) {
      const messages = await dispatchItemBatch(env, { runId: null, feedId: feed, items: batch });
      expect(messages.map((m) => m.storylineId)).not.toContain("minerals-one-feed");
    }
    // Yet the query matches some of those items: only the feed filter kept them out.
    const everyFeed = matchItems([{ ...toRecordOf("x"), query: MINERALS.query }], items).get("x") ?? [];
    expect(everyFeed.length).toBeGreaterThan(0);
  });
});

describe("matching", () => {
  const item = (id: string, feed: string, title: string): StoredItem => ({
    ...storedItem({ feed, id, title, summary: "", link: "", published: "2026-01-02T00:00:00Z" }, ""),
    feedId: feed,
  });

  it("matches every item against every storyline allowed to see its feed, in one pass", () => {
    const storylines = [
      storyline("summit", "Putin AND Trump"),
      storyline("only-a", "Putin", ["a"]),
      storyline("escalation", "escalation"),
    ];
    const items = [
      item("1", "a", "Putin and Trump to meet"),
      item("2", "b", "Putin speaks"),
      item("3", "b", "Calls for de-escalation"),
    ];
    const matched = matchItems(storylines, items);
    expect([...matched.keys()].sort()).toEqual(["only-a", "summit"]);
    expect(matched.get("summit")?.map((i) => i.id)).toEqual(["itm_1"]);
    expect(matched.get("only-a")?.map((i) => i.id)).toEqual(["itm_1"]);
  });

  it("reuses the compiled matcher until an id or query changes", () => {
    const a = [storyline("x", "Putin"), storyline("y", "Trump")];
    const first = matcherFor(a);
    expect(matcherFor([storyline("x", "Putin"), storyline("y", "Trump")])).toBe(first);
    expect(matcherFor([storyline("x", "Putin"), storyline("y", "Trump OR Xi")])).not.toBe(first);
  });

  it("skips a stored storyline row that does not parse (edited by hand), and lists the others", async () => {
    for (const id of ["row-broken", "row-fine"]) {
      await api("/v1/storylines", { method: "POST", json: { id, title: id, kind: "event", query: "Putin AND Trump" } });
    }
    await env.DB.prepare("UPDATE storylines SET aliases = '{' WHERE id = 'row-broken'").run();
    const ids = (await listActiveStorylines(env.DB)).map((s) => s.id);
    expect(ids).toContain("row-fine");
    expect(ids).not.toContain("row-broken");
  });

  it("matching's storyline list is kept between checks and follows every change to what matching reads", async () => {
    await api("/v1/storylines", { method: "POST", json: { id: "kept", title: "kept", kind: "event", query: "Putin" } });
    const first = await listMatchingStorylines(env.DB);
    expect(first.map((s) => [s.id, s.query])).toContainEqual(["kept", "Putin"]);
    // Unchanged: the same list, from the isolate's copy.
    expect(await listMatchingStorylines(env.DB)).toBe(first);
    // A status written by detection is not what matching reads: still the same copy.
    await env.DB.prepare("UPDATE storylines SET status = 'scheduled' WHERE id = 'kept'").run();
    expect(await listMatchingStorylines(env.DB)).toBe(first);
    await env.DB.prepare("UPDATE storylines SET query = 'Trump' WHERE id = 'kept'").run();
    expect((await listMatchingStorylines(env.DB)).map((s) => [s.id, s.query])).toContainEqual(["kept", "Trump"]);
    await env.DB.prepare("UPDATE storylines SET active = 0 WHERE id = 'kept'").run();
    expect((await listMatchingStorylines(env.DB)).map((s) => s.id)).not.toContain("kept");
    await env.DB.prepare("UPDATE storylines SET active = 1, feeds = '[\"feed_a\"]' WHERE id = 'kept'").run();
    expect((await listMatchingStorylines(env.DB)).find((s) => s.id === "kept")?.feeds).toEqual(["feed_a"]);
    await env.DB.prepare("DELETE FROM storylines WHERE id = 'kept'").run();
    expect((await listMatchingStorylines(env.DB)).map((s) => s.id)).not.toContain("kept");
  });

  it("skips a storyline whose stored query does not parse, and matches the others", () => {
    const matched = matchItems([storyline("broken", "(Putin"), storyline("fine", "Putin")], [item("1", "a", "Putin")]);
    expect([...matched.keys()]).toEqual(["fine"]);
  });
});
