import { env } from "cloudflare:test";
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { enqueueAlert } from "../../src/alerts/enqueue";
import type { AlertEvent } from "../../src/contracts";
import { api } from "../helpers/api";
import { type FakeInternet, fakeInternet } from "../helpers/fake-internet";
import { createHook, deliveriesOf, developmentEvent, receiverUrl, verifySignature } from "./helpers";

const PROBLEM = "application/problem+json";

let internet: FakeInternet;
beforeEach(async () => {
  internet = fakeInternet();
  await env.DB.batch([
    env.DB.prepare("DELETE FROM delivery_attempts"),
    env.DB.prepare("DELETE FROM deliveries"),
    env.DB.prepare("DELETE FROM webhooks"),
  ]);
});
afterEach(() => internet.restore());

async function countRows(table: string): Promise<number> {
  const row = await env.DB.prepare(`SELECT count(*) AS n FROM ${table}`).first<{ n: number }>();
  return row?.n ?? 0;
}

async function addStoryline(id: string) {
  const now = new Date().toISOString();
  await env.DB.prepare(
    `INSERT INTO storylines (id, title, kind, query, feed_key, created_at, updated_at)
     VALUES (?, ?, 'event', 'summit', 'key', ?, ?) ON CONFLICT (id) DO NOTHING`,
  )
    .bind(id, id, now, now)
    .run();
}

describe("POST /v1/webhooks", () => {
  it("creates a webhook and shows its secret once; the list never shows it", async () => {
    const res = await api("/v1/webhooks", { method: "POST", json: { url: "https://hooks.example/in" } });
    expect(res.status).toBe(201);
    const created = await res.json<Record<string, unknown>>();
    expect(res.headers.get("location")).toBe(`/v1/webhooks/${created.id}`);
    expect(created).toMatchObject({
      id: expect.stringMatching(/^wh_/),
      url: "https://hooks.example/in",
      format: "standard",
      storylines: null,
      event_types: ["development.created", "development.updated"],
      disabled_at: null,
      disabled_reason: null,
    });
    expect(created.secret).toMatch(/^whsec_[A-Za-z0-9+/]{43}=$/);

    const list = await (await api("/v1/webhooks")).json<{ webhooks: Array<Record<string, unknown>> }>();
    expect(list.webhooks).toHaveLength(1);
    expect(list.webhooks[0]?.id).toBe(created.id);
    expect(list.webhooks[0]).not.toHaveProperty("secret");
    expect(JSON.stringify(list)).not.toContain(String(created.secret).slice(6));
    const one = await (await api(`/v1/webhooks/${created.id}`)).json<Record<string, unknown>>();
    expect(one).not.toHaveProperty("secret");
    // Stored encrypted, not in the clear.
    const row = await env.DB.prepare("SELECT secret_ciphertext FROM webhooks").first<{ secret_ciphertext: string }>();
    expect(row?.secret_ciphertext).not.toContain(String(created.secret).slice(6));
  });

  it("accepts a storyline filter, a format and event types", async () => {
    await addStoryline("putin-trump-summit");
    const res = await api("/v1/webhooks", {
      method: "POST",
      json: {
        url: "https://hooks.slack.example/services/T/B/x",
        storylines: ["putin-trump-summit"],
        format: "slack",
        event_types: ["development.created", "feed.failing"],
      },
    });
    expect(res.status).toBe(201);
    expect(await res.json()).toMatchObject({
      storylines: ["putin-trump-summit"],
      format: "slack",
      event_types: ["development.created", "feed.failing"],
    });
  });

  it("refuses bad input with problem+json and writes nothing", async () => {
    const cases: Array<[unknown, RegExp]> = [
      [{}, /^url is required/],
      [{ url: "ftp://hooks.example/x" }, /scheme ftp/],
      [{ url: "http://127.0.0.1:8080/hook" }, /loopback/],
      [{ url: "http://169.254.169.254/latest" }, /link-local|metadata/],
      [{ url: "https://user:pw@hooks.example/x" }, /credentials/],
      [{ url: "https://hooks.example/x", format: "teams" }, /format/],
      [{ url: "https://hooks.example/x", event_types: ["development.deleted"] }, /event_types/],
      [{ url: "https://hooks.example/x", event_types: [] }, /event_types/],
      [{ url: "https://hooks.example/x", storylines: ["no-such-storyline"] }, /no-such-storyline/],
      [{ url: "https://hooks.example/x", secret: "whsec_mine" }, /secret/],
    ];
    for (const [json, detail] of cases) {
      const res = await api("/v1/webhooks", { method: "POST", json });
      expect(res.status, JSON.stringify(json)).toBe(400);
      expect(res.headers.get("content-type")).toBe(PROBLEM);
      expect((await res.json<{ detail: string }>()).detail, JSON.stringify(json)).toMatch(detail);
    }
    expect(await countRows("webhooks")).toBe(0);
  });

  it("needs a token", async () => {
    const res = await api("/v1/webhooks", { method: "POST", json: { url: "https://hooks.example/x" }, token: null });
    expect(res.status).toBe(401);
    expect(await countRows("webhooks")).toBe(0);
  });
});

describe("DELETE /v1/webhooks/:id", () => {
  it("deletes the webhook and its deliveries; a second delete is 404", async () => {
    const hook = await createHook("https://hooks.example/del");
    internet.on("https://hooks.example/del", () => new Response("ok"));
    await enqueueAlert(env, developmentEvent("e-del"));
    const res = await api(`/v1/webhooks/${hook.id}`, { method: "DELETE" });
    expect(res.status).toBe(204);
    expect(await countRows("deliveries")).toBe(0);
    const again = await api(`/v1/webhooks/${hook.id}`, { method: "DELETE" });
    expect(again.status).toBe(404);
    expect(again.headers.get("content-type")).toBe(PROBLEM);
    expect((await api(`/v1/webhooks/${hook.id}/deliveries`)).status).toBe(404);
  });
});

describe("routing of events to webhooks", () => {
  it("honours the storyline filter and event types", async () => {
    await addStoryline("putin-trump-summit");
    await addStoryline("other-story");
    const all = await createHook(receiverUrl("all"));
    const filtered = await createHook(receiverUrl("filtered"), { storylines: ["other-story"] });
    const feeds = await createHook(receiverUrl("feeds"), { event_types: ["feed.failing", "feed.recovered"] });
    const filteredFeeds = await createHook(receiverUrl("filtered-feeds"), {
      storylines: ["other-story"],
      event_types: ["feed.failing"],
    });
    internet.on("https://hooks.example/*", () => new Response("ok"));

    expect(await enqueueAlert(env, developmentEvent("e-route"))).toBe(1);
    const feedEvent: AlertEvent = {
      id: "feed_1:failing:1",
      type: "feed.failing",
      storylineId: null,
      occurredAt: new Date().toISOString(),
      data: { feed: { id: "feed_1", title: "Example" } },
    };
    expect(await enqueueAlert(env, feedEvent)).toBe(2);
    expect((await deliveriesOf(all.id)).map((d) => d.state)).toHaveLength(1);
    expect(await deliveriesOf(filtered.id)).toHaveLength(0);
    expect(await deliveriesOf(feeds.id)).toHaveLength(1);
    expect(await deliveriesOf(filteredFeeds.id)).toHaveLength(1);
    expect(await enqueueAlert(env, developmentEvent("e-route-2", "other-story"))).toBe(2);
    expect(await deliveriesOf(filtered.id)).toHaveLength(1);
  });
});

/** A webhook whose receiver answers 200, and its delivery of one event, once it has succeeded. */
async function succeededDelivery(url: string, eventId: string) {
  const hook = await createHook(url);
  internet.on(url, () => new Response("ok"));
  await enqueueAlert(env, developmentEvent(eventId));
  await vi.waitFor(async () => expect((await deliveriesOf(hook.id))[0]?.state).toBe("succeeded"), {
    timeout: 10_000,
    interval: 200,
  });
  const [delivery] = await deliveriesOf(hook.id);
  return { hook, delivery };
}

describe("GET /v1/webhooks/:id/deliveries and POST /v1/deliveries/:id/retry", () => {
  it("lists every attempt and pages with a cursor", async () => {
    const url = receiverUrl("log");
    const hook = await createHook(url);
    internet.on(url, () => new Response("ok"));
    for (const id of ["e-log-1", "e-log-2", "e-log-3"]) await enqueueAlert(env, developmentEvent(id));
    await vi.waitFor(
      async () => expect((await deliveriesOf(hook.id)).every((d) => d.state === "succeeded")).toBe(true),
      { timeout: 10_000, interval: 200 },
    );
    const page1 = await (await api(`/v1/webhooks/${hook.id}/deliveries?limit=2`)).json<{
      deliveries: Array<{ id: string; attempts: Array<Record<string, unknown>> }>;
      next_cursor: string | null;
    }>();
    expect(page1.deliveries).toHaveLength(2);
    expect(page1.deliveries[0]?.attempts[0]).toMatchObject({
      attempt: 1,
      status_code: 200,
      error: null,
      next_retry_at: null,
      latency_ms: expect.any(Number),
      attempted_at: expect.any(String),
    });
    expect(page1.next_cursor).not.toBeNull();
    const page2 = await (await api(`/v1/webhooks/${hook.id}/deliveries?limit=2&cursor=${page1.next_cursor}`)).json<{
      deliveries: Array<{ id: string }>;
      next_cursor: string | null;
    }>();
    expect(page2.deliveries).toHaveLength(1);
    expect(page2.next_cursor).toBeNull();
    const ids = [...page1.deliveries, ...page2.deliveries].map((d) => d.id);
    expect(new Set(ids).size).toBe(3);

    const bad = await api(`/v1/webhooks/${hook.id}/deliveries?cursor=nonsense`);
    expect(bad.status).toBe(400);
    expect((await api(`/v1/webhooks/${hook.id}/deliveries?state=lost`)).status).toBe(400);
  });

  it("redelivers a succeeded delivery with the same webhook-id; 404 for an unknown delivery", async () => {
    const url = receiverUrl("again");
    const { hook, delivery } = await succeededDelivery(url, "e-again");
    const res = await api(`/v1/deliveries/${delivery?.id}/retry`, { method: "POST" });
    expect(res.status).toBe(202);
    await vi.waitFor(() => expect(internet.requestsTo(url)).toHaveLength(2), { timeout: 10_000, interval: 200 });
    const [first, second] = internet.requestsTo(url);
    expect(second?.headers["webhook-id"]).toBe(first?.headers["webhook-id"]);
    for (const request of [first, second]) {
      if (request) expect(() => verifySignature(hook.secret, request)).not.toThrow();
    }
    await vi.waitFor(async () => expect((await deliveriesOf(hook.id))[0]?.attempts).toHaveLength(2), {
      timeout: 5_000,
      interval: 200,
    });

    const missing = await api("/v1/deliveries/dlv_nope/retry", { method: "POST" });
    expect(missing.status).toBe(404);
    expect(missing.headers.get("content-type")).toBe(PROBLEM);
  });

  it("sends a redelivery requested 5 times in parallel once, late requests of the burst included", async () => {
    const url = receiverUrl("burst");
    const { hook, delivery } = await succeededDelivery(url, "e-burst");
    const retry = () => api(`/v1/deliveries/${delivery?.id}/retry`, { method: "POST" });
    const burst = await Promise.all(Array.from({ length: 5 }, retry));
    expect(burst.map((res) => res.status)).toEqual([202, 202, 202, 202, 202]);
    await vi.waitFor(() => expect(internet.requestsTo(url)).toHaveLength(2), { timeout: 10_000, interval: 100 });
    await vi.waitFor(async () => expect((await deliveriesOf(hook.id))[0]?.attempts).toHaveLength(2), {
      timeout: 5_000,
      interval: 100,
    });
    // Requests of the same burst that arrive after the redelivery went out join it too.
    const late = await Promise.all([retry(), retry()]);
    expect(late.map((res) => res.status)).toEqual([202, 202]);
    await new Promise((resolve) => setTimeout(resolve, 2_500));
    const sent = internet.requestsTo(url);
    expect(sent).toHaveLength(2);
    expect(new Set(sent.map((request) => request.headers["webhook-id"])).size).toBe(1);
    expect((await deliveriesOf(hook.id))[0]?.attempts).toHaveLength(2);
  });

  it("re-enables a webhook disabled by 410 once a redelivery the user asked for succeeds", async () => {
    const url = receiverUrl("revived");
    const hook = await createHook(url);
    let gone = true;
    internet.on(url, () => new Response(gone ? "gone" : "ok", { status: gone ? 410 : 200 }));
    await enqueueAlert(env, developmentEvent("e-revived"));
    await vi.waitFor(async () => expect((await deliveriesOf(hook.id))[0]?.state).toBe("dead"), {
      timeout: 10_000,
      interval: 200,
    });
    const disabled = await (await api(`/v1/webhooks/${hook.id}`)).json<{ disabled_at: string | null }>();
    expect(disabled.disabled_at).not.toBeNull();

    gone = false;
    const [delivery] = await deliveriesOf(hook.id);
    expect((await api(`/v1/deliveries/${delivery?.id}/retry`, { method: "POST" })).status).toBe(202);
    await vi.waitFor(async () => expect((await deliveriesOf(hook.id))[0]?.state).toBe("succeeded"), {
      timeout: 10_000,
      interval: 200,
    });
    const enabled = await (await api(`/v1/webhooks/${hook.id}`)).json<{ disabled_at: string | null }>();
    expect(enabled.disabled_at).toBeNull();
  });
});

describe("Slack and Discord webhooks end to end", () => {
  it("post those services' message shapes", async () => {
    const slackUrl = receiverUrl("slack");
    const discordUrl = receiverUrl("discord");
    await createHook(slackUrl, { format: "slack" });
    await createHook(discordUrl, { format: "discord" });
    internet.on(slackUrl, () => new Response("ok"));
    internet.on(discordUrl, () => new Response(null, { status: 204 }));
    await enqueueAlert(env, developmentEvent("e-chat"));
    await vi.waitFor(
      () => {
        expect(internet.requestsTo(slackUrl)).toHaveLength(1);
        expect(internet.requestsTo(discordUrl)).toHaveLength(1);
      },
      { timeout: 10_000, interval: 200 },
    );
    const slack = JSON.parse(internet.requestsTo(slackUrl)[0]?.body ?? "{}");
    expect(slack.text).toContain("agreed → scheduled");
    expect(Array.isArray(slack.blocks)).toBe(true);
    const discord = JSON.parse(internet.requestsTo(discordUrl)[0]?.body ?? "{}");
    expect(discord.embeds[0].title).toBe("Summit set for 15 August in Alaska");
  });
});

describe("OpenAPI", () => {
  it("documents the webhook and delivery routes", async () => {
    const doc = await (await api("/openapi.json")).json<{ paths: Record<string, Record<string, unknown>> }>();
    expect(Object.keys(doc.paths["/v1/webhooks"] ?? {}).sort()).toEqual(["get", "post"]);
    expect(doc.paths["/v1/webhooks/{id}"]).toHaveProperty("delete");
    expect(doc.paths["/v1/webhooks/{id}/deliveries"]).toHaveProperty("get");
    expect(doc.paths["/v1/deliveries/{id}/retry"]).toHaveProperty("post");
  });
});
