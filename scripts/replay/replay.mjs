// Replays a corpus (../shared/fixtures/FORMAT.md) through the real Worker over its public
// HTTP API, tick by tick, exactly as a deployment would see it: a local feed server plays
// the feeds, a local receiver takes the webhooks, and the Worker runs under `wrangler dev`.
//
// Story time vs wall time: the feed server's clock is the tick's story time (it serves the
// items published by then); the Worker's clock is wall time, so items carry story-time
// dates in the past and are never clamped as "from the future". Tick 0 is the feeds' first
// check (and the storylines' first batch): the Worker must build its baseline silently.
import { readFileSync } from "node:fs";
import { normaliseLink } from "./score.mjs";
import { startFeedServer, startWebhookReceiver } from "./servers.mjs";
import { startWorker } from "./worker.mjs";

export function loadCorpus(path) {
  const corpus = JSON.parse(readFileSync(path, "utf8"));
  for (const key of ["storylines", "feeds", "ticks"]) {
    if (!Array.isArray(corpus[key])) throw new Error(`${path}: "${key}" must be an array (see FORMAT.md)`);
  }
  return corpus;
}

const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

function client(worker) {
  return async function call(method, path, body) {
    const res = await fetch(`${worker.url}${path}`, {
      method,
      headers: {
        authorization: `Bearer ${worker.token}`,
        ...(body !== undefined ? { "content-type": "application/json" } : {}),
      },
      body: body !== undefined ? JSON.stringify(body) : undefined,
    });
    const text = await res.text();
    let json = null;
    try {
      json = text ? JSON.parse(text) : null;
    } catch {}
    return { status: res.status, json, text };
  };
}

async function expectStatus(promise, want, what) {
  const res = await promise;
  if (!want.includes(res.status)) throw new Error(`${what}: HTTP ${res.status} ${res.text.slice(0, 500)}`);
  return res.json;
}

/** Links and titles of every corpus item as the Worker may report them, for evidence matching. */
function buildLinkIndex(corpus, feedServer) {
  const byLink = new Map();
  const byTitle = new Map();
  const feeds = new Map(corpus.feeds.map((f) => [f.id, f]));
  const add = (map, key, id) => {
    if (!key) return;
    if (!map.has(key)) map.set(key, new Set());
    map.get(key).add(id);
  };
  const originals = new Map();
  for (const tick of corpus.ticks) for (const item of tick.items) if (!item.updates) originals.set(item.id, item);
  for (const tick of corpus.ticks) {
    for (const item of tick.items) {
      const identity = item.updates ? (originals.get(item.updates) ?? item) : item;
      const feedUrl = feedServer.feedUrl(item.feed);
      // A corpus may write an item's link relative (to its feed), as the feed serves it.
      add(byLink, normaliseLink(identity.link, feedUrl), item.id);
      if (feeds.get(item.feed)?.quirks?.includes("relative-links")) {
        const url = new URL(identity.link, feedUrl);
        add(byLink, normaliseLink(`${url.pathname}${url.search}`, feedUrl), item.id);
      }
      add(byTitle, item.title.trim(), item.id);
    }
  }
  return { byLink, byTitle };
}

async function waitForRun(call, runId, timeoutMs) {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const run = await expectStatus(call("GET", `/v1/runs/${runId}`), [200], `GET /v1/runs/${runId}`);
    if (run.status !== "running") return run;
    if (Date.now() > deadline) {
      const feeds = await call("GET", "/v1/feeds");
      throw new Error(
        `run ${runId} still running after ${timeoutMs} ms: ${JSON.stringify(run)}\nfeeds: ${feeds.text.slice(0, 3000)}`,
      );
    }
    await sleep(150);
  }
}

/** Waits until no delivery is pending and nothing has arrived for `quietMs`. */
async function waitForDeliveries(call, webhookId, receiver, { quietMs, timeoutMs }) {
  const started = Date.now();
  for (;;) {
    await sleep(200);
    let pending = 0;
    const res = await call("GET", `/v1/webhooks/${webhookId}/deliveries?limit=100`);
    if (res.status === 200) {
      const list = Array.isArray(res.json) ? res.json : (res.json?.deliveries ?? []);
      // Pending, or failed with a retry still due (the short WEBHOOK_RETRY_SCHEDULE keeps that brief).
      pending = list.filter((d) => d.state === "pending" || d.state === "failed").length;
    }
    const quiet = receiver.msSinceLastArrival() >= quietMs && Date.now() - started >= quietMs;
    if (pending === 0 && quiet) return;
    if (Date.now() - started > timeoutMs) return;
  }
}

async function allDevelopments(call, storylineId) {
  const out = [];
  let cursor = null;
  do {
    const query = `?limit=100${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ""}`;
    const page = await expectStatus(
      call("GET", `/v1/storylines/${storylineId}/developments${query}`),
      [200],
      "developments",
    );
    out.push(...page.developments);
    cursor = page.next_cursor;
  } while (cursor);
  return out;
}

/**
 * Runs the whole replay and returns what was observed. Hooks: onEvent({ kind: "setup" |
 * "tick-start" | "alert" | "tick" | "log", ... }) for progress output.
 */
export async function replay(corpus, { onEvent = () => {}, quietMs = 1200, runTimeoutMs = 120_000 } = {}) {
  const log = (message) => onEvent({ kind: "log", message });
  const feedServer = await startFeedServer(corpus);
  let tickIndex = 0;
  const receiver = await startWebhookReceiver({
    onDelivery: (delivery) => onEvent({ kind: "alert", tick: tickIndex, delivery }),
  });
  let worker = null;
  try {
    worker = await startWorker({ log });
    const call = client(worker);
    onEvent({ kind: "setup", worker: worker.url, feeds: feedServer.base, receiver: receiver.url });

    const feedIds = {};
    for (const feed of corpus.feeds) {
      const created = await expectStatus(
        call("POST", "/v1/feeds", { url: feedServer.feedUrl(feed.id) }),
        [201],
        `POST /v1/feeds ${feed.id}`,
      );
      feedIds[feed.id] = created.id;
    }
    for (const s of corpus.storylines) {
      const body = { id: s.id, title: s.title, kind: s.kind, query: s.query };
      if (s.aliases) body.aliases = s.aliases;
      if (s.participants) body.participants = s.participants;
      if (s.alert_on) body.alert_on = s.alert_on;
      await expectStatus(call("POST", "/v1/storylines", body), [201], `POST /v1/storylines ${s.id}`);
    }
    const webhook = await expectStatus(call("POST", "/v1/webhooks", { url: receiver.url }), [201], "POST /v1/webhooks");
    receiver.setSecret(webhook.secret);

    const states = [];
    const runs = [];
    for (tickIndex = 0; tickIndex < corpus.ticks.length; tickIndex++) {
      const tick = corpus.ticks[tickIndex];
      feedServer.setTick(tickIndex);
      receiver.setTick(tickIndex);
      onEvent({ kind: "tick-start", index: tickIndex, tick });
      const before = receiver.deliveries.length;
      const started = await expectStatus(call("POST", "/v1/runs"), [201, 202], "POST /v1/runs");
      const run = await waitForRun(call, started.id, runTimeoutMs);
      if (run.status !== "completed") log(`tick ${tickIndex}: run ${run.id} ended ${run.status}: ${run.error ?? ""}`);
      await waitForDeliveries(call, webhook.id, receiver, { quietMs, timeoutMs: 30_000 });
      runs.push({ tick: tickIndex, ...run });
      const storylines = {};
      for (const s of corpus.storylines) {
        const got = await expectStatus(call("GET", `/v1/storylines/${s.id}`), [200], `GET /v1/storylines/${s.id}`);
        storylines[s.id] = {
          status: got.status ?? null,
          facts: got.facts ?? {},
          last_development: got.last_development ?? null,
        };
      }
      states.push({ tick: tickIndex, storylines });
      onEvent({
        kind: "tick",
        index: tickIndex,
        tick,
        run,
        storylines,
        newDeliveries: receiver.deliveries.slice(before),
      });
    }

    const developments = {};
    for (const s of corpus.storylines) developments[s.id] = await allDevelopments(call, s.id);
    const verified = receiver.deliveries.filter((d) => d.verified);
    return {
      feedIds,
      runs,
      states,
      developments,
      alerts: verified.filter((d) => d.payload?.type === "development.created"),
      updates: verified.filter((d) => d.payload?.type === "development.updated"),
      rejected: receiver.deliveries.filter((d) => !d.verified),
      feedRequests: feedServer.requests.length,
      linkIndex: buildLinkIndex(corpus, feedServer),
    };
  } catch (error) {
    if (worker) error.workerLogs = worker.logs().slice(-6000);
    throw error;
  } finally {
    await worker?.stop();
    await receiver.close();
    await feedServer.close();
  }
}
