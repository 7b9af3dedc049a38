/**
 * One item from the cron to a webhook, through every stage once and in order (README, "Design
 * notes"): scheduler → polls queue → poller (fetch, parse, normalise, store) → matching →
 * detections queue → Storyline object → deliveries queue → signed POST. Only the publisher
 * and the receiver are fake (the outside internet); queues, D1, KV and the Durable Object are
 * the local runtime's.
 */
import { createExecutionContext, createScheduledController, env, waitOnExecutionContext } from "cloudflare:test";
import { Webhook } from "standardwebhooks";
import { afterEach, beforeEach, expect, it, vi } from "vitest";
import worker from "../src/index";
import { createHook } from "./alerts/helpers";
import { addFeed, resetFeedTables, waitForRun } from "./feeds/helpers";
import { api } from "./helpers/api";
import { processedItems } from "./helpers/detections";
import { type FakeInternet, fakeInternet } from "./helpers/fake-internet";

const FEED_URL = "https://flow-wire.example/world.xml";
const HOOK_URL = "https://hooks.example/flow";
const ITEM_URL = "https://flow-wire.example/world/summit-alaska";

const rss = (items: Array<{ guid: string; title: string; description: string; link: string; date: string }>) =>
  `<?xml version="1.0"?><rss version="2.0"><channel><title>Flow Wire</title><link>https://flow-wire.example/</link>${items
    .map(
      (i) =>
        `<item><guid isPermaLink="false">${i.guid}</guid><title>${i.title}</title><link>${i.link}</link>` +
        `<description>${i.description}</description><pubDate>${i.date}</pubDate></item>`,
    )
    .join("")}</channel></rss>`;

const OLD = {
  guid: "flow-1",
  title: "Trump says he is open to a summit with Putin",
  description: "Trump said on Monday he would be willing to meet Putin, but no summit has been agreed.",
  link: "https://flow-wire.example/world/open-to-summit",
  date: "Mon, 04 Aug 2025 09:00:00 GMT",
};
const NEW = {
  guid: "flow-2",
  title: "Putin and Trump agree to hold summit in Alaska on August 15",
  description: "The Kremlin and the White House said Putin and Trump will meet in Alaska on August 15.",
  link: ITEM_URL,
  date: "Fri, 08 Aug 2025 18:00:00 GMT",
};

let internet: FakeInternet;
let published = [OLD];
const received: Array<{ headers: Record<string, string>; body: string }> = [];

beforeEach(async () => {
  await resetFeedTables();
  internet = fakeInternet();
  internet.on("http*", new Response("not here", { status: 404 }));
  internet.on(FEED_URL, () => new Response(rss(published), { headers: { "content-type": "application/rss+xml" } }));
  internet.on(HOOK_URL, (_request, recorded) => {
    received.push({ headers: recorded.headers, body: recorded.body });
    return new Response(null, { status: 204 });
  });
});
afterEach(() => internet.restore());

/** The Worker's own scheduled handler, as the cron trigger calls it. */
async function cron(at: Date): Promise<void> {
  const ctx = createExecutionContext();
  await worker.scheduled(createScheduledController({ scheduledTime: at, cron: "*/5 * * * *" }), env, ctx);
  await waitOnExecutionContext(ctx);
}

async function runOf(at: Date): Promise<string> {
  const run = await env.DB.prepare("SELECT id FROM runs WHERE started_at = ?")
    .bind(at.toISOString())
    .first<{ id: string }>();
  return run?.id ?? expect.fail(`no run started at ${at.toISOString()}`);
}

it("follows one item from the cron to a signed webhook, each stage once and in order", {
  timeout: 60_000,
}, async () => {
  const feedId = await addFeed(FEED_URL, new Date("2025-08-01T00:00:00Z"));
  const storyline = await api("/v1/storylines", {
    method: "POST",
    json: {
      id: "flow-summit",
      title: "Putin–Trump summit",
      kind: "event",
      query: "(Putin OR Kremlin) AND Trump AND (summit OR meet*)",
      feeds: [feedId],
    },
  });
  expect(storyline.status).toBe(201);
  const hook = await createHook(HOOK_URL, { storylines: ["flow-summit"] });

  // The feed's first check is its baseline: stored and read, never alerted.
  const first = new Date(Date.now() + 3600_000);
  await cron(first);
  expect(await waitForRun(await runOf(first))).toMatchObject({ status: "completed", items_new: 1 });
  expect(received).toEqual([]);

  // The publisher adds one item; the next tick takes it through every stage.
  published = [NEW, OLD];
  const second = new Date(first.getTime() + 26 * 3600_000);
  await cron(second);
  const runId = await runOf(second);

  // 1. The scheduler leased the feed for this run; 2. the poller fetched, parsed and stored the item.
  expect(await waitForRun(runId)).toMatchObject({ status: "completed", feeds_checked: 1, items_new: 1 });
  const item = await env.DB.prepare("SELECT id, title FROM items WHERE feed_id = ? AND url = ?")
    .bind(feedId, ITEM_URL)
    .first<{ id: string; title: string }>();
  expect(item?.title).toBe(NEW.title);
  const itemId = item?.id ?? "";
  const feed = (await (await api(`/v1/feeds/${feedId}`)).json()) as Record<string, unknown>;
  expect(feed).toMatchObject({ last_status: "ok", last_error: null });

  // 3. Matching queued one detection for the storyline, which the run waited for.
  const detections = await env.DB.prepare("SELECT storyline_id, state FROM run_detections WHERE run_id = ?")
    .bind(runId)
    .all<{ storyline_id: string; state: string }>();
  expect(detections.results).toEqual([{ storyline_id: "flow-summit", state: "done" }]);

  // 4. The storyline's Durable Object read the item and made a development of it, with the item as source.
  expect(await processedItems("flow-summit")).toContain(itemId);
  const development = await env.DB.prepare(
    `SELECT d.id, d.type, d.status, d.baseline FROM developments d JOIN development_sources s ON s.development_id = d.id
     WHERE d.storyline_id = 'flow-summit' AND s.item_id = ?`,
  )
    .bind(itemId)
    .first<{ id: string; type: string; status: string | null; baseline: number }>();
  expect(development).toMatchObject({ baseline: 0 });
  const shown = (await (await api("/v1/storylines/flow-summit")).json()) as Record<string, unknown>;
  expect(shown).toMatchObject({ last_error: null, failing_since: null });
  expect(shown.status).not.toBeNull();

  // 5. One delivery for the webhook, sent once, signed, carrying the development and its source.
  await vi.waitFor(() => expect(received).toHaveLength(1), { timeout: 15_000, interval: 100 });
  const delivery = await env.DB.prepare("SELECT event_id, state, attempts FROM deliveries WHERE webhook_id = ?")
    .bind(hook.id)
    .all<{ event_id: string; state: string; attempts: number }>();
  expect(delivery.results).toEqual([{ event_id: `${development?.id}:created`, state: "succeeded", attempts: 1 }]);
  const [request] = received;
  const payload = new Webhook(hook.secret).verify(request?.body ?? "", request?.headers ?? {}) as {
    type: string;
    data: { storyline: Record<string, unknown>; development: { id: string; sources: Array<{ url: string }> } };
  };
  expect(payload.type).toBe("development.created");
  expect(payload.data.storyline).toMatchObject({ id: "flow-summit", kind: "event" });
  expect(payload.data.storyline).not.toHaveProperty("feed_key");
  expect(payload.data.development.id).toBe(development?.id);
  expect(payload.data.development.sources.map((s) => s.url)).toContain(ITEM_URL);
});
