import { createExecutionContext, createMessageBatch, env, getQueueResult } from "cloudflare:test";
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { consumeDeadDeliveries, DELIVERY_TIMEOUT_MS, processDeliveryMessage } from "../../src/alerts/deliver";
import { enqueueAlert, sweepStalledDeliveries } from "../../src/alerts/enqueue";
import type { DeliveryMessage } from "../../src/alerts/messages";
import { ATTEMPT_LEASE_SECONDS } from "../../src/alerts/schedule";
import { api } from "../helpers/api";
import { type FakeInternet, fakeInternet } from "../helpers/fake-internet";
import {
  createHook,
  deliveriesOf,
  developmentEvent,
  pendingDelivery,
  receiverUrl,
  runConsumer,
  verifyingReceiver,
  verifySignature,
  withSchedule,
} from "./helpers";

let internet: FakeInternet;
beforeEach(async () => {
  internet = fakeInternet();
  // Storage lives as long as the file: start each test with no webhooks, so an event reaches
  // only this test's receiver (queued work for the old ones finds them gone and stops).
  await env.DB.batch([
    env.DB.prepare("DELETE FROM delivery_attempts"),
    env.DB.prepare("DELETE FROM deliveries"),
    env.DB.prepare("DELETE FROM webhooks"),
  ]);
});
afterEach(() => internet.restore());

describe("delivery through the real deliveries queue", () => {
  it("500, 500, 200 makes three attempts with one webhook-id, each signed", async () => {
    const url = receiverUrl("flaky");
    const hook = await createHook(url);
    const answers = [500, 500, 200];
    let call = 0;
    internet.on(
      url,
      verifyingReceiver(hook.secret, () => new Response("x", { status: answers[call++] ?? 200 })),
    );

    expect(await enqueueAlert(env, developmentEvent("e-flaky"))).toBe(1);
    await vi.waitFor(
      async () => {
        const [delivery] = await deliveriesOf(hook.id);
        expect(delivery?.state).toBe("succeeded");
      },
      { timeout: 15_000, interval: 200 },
    );
    const requests = internet.requestsTo(url);
    expect(requests).toHaveLength(3);
    const ids = new Set(requests.map((r) => r.headers["webhook-id"]));
    expect(ids.size).toBe(1);
    for (const request of requests) expect(() => verifySignature(hook.secret, request)).not.toThrow();
    expect(JSON.parse(requests[0]?.body ?? "{}")).toMatchObject({
      type: "development.created",
      timestamp: "2025-08-08T12:00:00.000Z",
      data: { storyline: { id: "putin-trump-summit" }, development: { id: "dev_e-flaky" } },
    });

    const [delivery] = await deliveriesOf(hook.id);
    expect(delivery?.message_id).toBe([...ids][0]);
    expect(delivery?.attempts.map((a) => a.status_code)).toEqual([500, 500, 200]);
    expect(delivery?.attempts.every((a) => a.finished_at !== null && a.latency_ms !== null)).toBe(true);
    // The schedule "0,1,2" waits 1 s (plus up to 20% jitter) after the first failure.
    const [first, second] = delivery?.attempts ?? [];
    expect(first?.next_retry_at).not.toBeNull();
    expect(Date.parse(first?.next_retry_at ?? "") - Date.parse(first?.finished_at ?? "")).toBeGreaterThanOrEqual(1000);
    expect(Date.parse(second?.attempted_at ?? "")).toBeGreaterThanOrEqual(Date.parse(first?.next_retry_at ?? "") - 50);
  });

  it("is idempotent: the same event twice makes one delivery and one request", async () => {
    const url = receiverUrl("once");
    const hook = await createHook(url);
    internet.on(
      url,
      verifyingReceiver(hook.secret, () => new Response(null, { status: 204 })),
    );
    expect(await enqueueAlert(env, developmentEvent("e-once"))).toBe(1);
    expect(await enqueueAlert(env, developmentEvent("e-once"))).toBe(0);
    await vi.waitFor(async () => expect((await deliveriesOf(hook.id))[0]?.state).toBe("succeeded"), {
      timeout: 10_000,
      interval: 200,
    });
    // Give a stray second message time to show up, if there were one.
    await new Promise((resolve) => setTimeout(resolve, 1500));
    expect(internet.requestsTo(url)).toHaveLength(1);
    expect(await deliveriesOf(hook.id)).toHaveLength(1);
  });

  it("dead-letters after the last attempt, lists it, and redelivers it with the same webhook-id", async () => {
    const url = receiverUrl("down");
    const hook = await createHook(url);
    let up = false;
    internet.on(
      url,
      verifyingReceiver(hook.secret, () => new Response("down", { status: up ? 200 : 500 })),
    );
    await enqueueAlert(env, developmentEvent("e-down"));
    await vi.waitFor(async () => expect((await deliveriesOf(hook.id))[0]?.state).toBe("dead"), {
      timeout: 15_000,
      interval: 200,
    });
    const dead = await deliveriesOf(hook.id, "?state=dead");
    expect(dead).toHaveLength(1);
    expect(dead[0]?.attempts).toHaveLength(3); // WEBHOOK_RETRY_SCHEDULE "0,1,2" in the tests
    expect(dead[0]?.last_error).toBe("HTTP 500");
    expect(dead[0]?.attempts.at(-1)?.next_retry_at).toBeNull();

    up = true;
    const retry = await api(`/v1/deliveries/${dead[0]?.id}/retry`, { method: "POST" });
    expect(retry.status).toBe(202);
    await vi.waitFor(async () => expect((await deliveriesOf(hook.id))[0]?.state).toBe("succeeded"), {
      timeout: 10_000,
      interval: 200,
    });
    const requests = internet.requestsTo(url);
    expect(requests).toHaveLength(4);
    expect(new Set(requests.map((r) => r.headers["webhook-id"]))).toEqual(new Set([dead[0]?.message_id]));
    expect(requests.at(-1)?.headers["webhook-timestamp"]).not.toBe(requests[0]?.headers["webhook-timestamp"]);
  });

  it("cron sweep sends a delivery whose queue message never went out (crash after the insert)", async () => {
    const url = receiverUrl("swept");
    const hook = await createHook(url);
    internet.on(
      url,
      verifyingReceiver(hook.secret, () => new Response("ok")),
    );
    const id = await pendingDelivery(env, hook.id, "e-swept", new Date(Date.now() - 10 * 60_000));
    expect(await sweepStalledDeliveries(env)).toBe(0); // overdue, but not for long enough to call it lost
    await env.DB.prepare("UPDATE deliveries SET next_attempt_at = ? WHERE id = ?")
      .bind(new Date(Date.now() - 20 * 60_000).toISOString(), id)
      .run();
    expect(await sweepStalledDeliveries(env)).toBe(1);
    expect(await sweepStalledDeliveries(env)).toBe(0); // its message is on the way: not sent twice
    await vi.waitFor(async () => expect((await deliveriesOf(hook.id))[0]?.state).toBe("succeeded"), {
      timeout: 10_000,
      interval: 200,
    });
    expect(internet.requestsTo(url).map((r) => r.headers["webhook-id"])).toEqual([`msg_test_e-swept`]);
    expect((await deliveriesOf(hook.id))[0]?.id).toBe(id);
  });
});

describe("delivery rules (consumer driven directly)", () => {
  // A long second step keeps the follow-up attempt out of the test's way.
  const slow = withSchedule("0,600");

  it("treats 301 as a failure and sends nothing to its Location", async () => {
    const url = receiverUrl("moved");
    const hook = await createHook(url);
    internet.on(
      url,
      () => new Response(null, { status: 301, headers: { location: "https://elsewhere.example/new-home" } }),
    );
    internet.on("https://elsewhere.example/*", () => new Response("ok"));
    const id = await pendingDelivery(slow, hook.id, "e-moved");
    const result = await runConsumer({ deliveryId: id, attempt: 1 }, {}, slow);
    expect(result.explicitAcks).toHaveLength(1);
    expect(internet.requestsTo("https://elsewhere.example/")).toHaveLength(0);
    // fetch itself must not follow it either (the fake never does; the real one would).
    expect(internet.requestsTo(url)[0]?.redirect).toBe("manual");
    const [delivery] = await deliveriesOf(hook.id);
    expect(delivery?.state).toBe("failed");
    expect(delivery?.last_status_code).toBe(301);
    expect(delivery?.last_error).toMatch(/redirects are not followed/);
    expect(delivery?.next_attempt_at).not.toBeNull();
  });

  it("disables the webhook on 410, with the reason, and dead-letters its other deliveries", async () => {
    const url = receiverUrl("gone");
    const hook = await createHook(url);
    internet.on(url, () => new Response("gone", { status: 410 }));
    const first = await pendingDelivery(slow, hook.id, "e-gone-1");
    const second = await pendingDelivery(slow, hook.id, "e-gone-2");
    await runConsumer({ deliveryId: first, attempt: 1 }, {}, slow);
    const res = await api(`/v1/webhooks/${hook.id}`);
    const webhook = await res.json<{ disabled_at: string | null; disabled_reason: string | null }>();
    expect(webhook.disabled_at).not.toBeNull();
    expect(webhook.disabled_reason).toMatch(/410 Gone/);
    const listed = await (await api("/v1/webhooks")).json<{
      webhooks: Array<{ id: string; disabled_reason: string }>;
    }>();
    expect(listed.webhooks.find((w) => w.id === hook.id)?.disabled_reason).toMatch(/410/);

    // The other delivery is dead at once, and its message, when it comes, sends nothing.
    expect((await deliveriesOf(hook.id, "?state=dead")).map((d) => d.id).sort()).toEqual([first, second].sort());
    await runConsumer({ deliveryId: second, attempt: 1 }, {}, slow);
    expect(internet.requestsTo(url)).toHaveLength(1);
    const states = Object.fromEntries((await deliveriesOf(hook.id)).map((d) => [d.id, d.state]));
    expect(states).toEqual({ [first]: "dead", [second]: "dead" });
    // A disabled webhook gets no new deliveries.
    expect(await enqueueAlert(slow, developmentEvent("e-gone-3"))).toBe(0);
  });

  it("honours Retry-After: 120 on 429, and an HTTP date on 503", async () => {
    const url = receiverUrl("busy");
    const hook = await createHook(url);
    const backAt = new Date(Date.now() + 3_600_000);
    internet.sequence(url, [
      new Response("slow down", { status: 429, headers: { "retry-after": "120" } }),
      new Response("maintenance", { status: 503, headers: { "retry-after": backAt.toUTCString() } }),
    ]);
    const fast = withSchedule("0,1,1,1");
    const id = await pendingDelivery(fast, hook.id, "e-busy");
    await runConsumer({ deliveryId: id, attempt: 1 }, {}, fast);
    let [delivery] = await deliveriesOf(hook.id);
    const first = delivery?.attempts[0];
    expect(first?.status_code).toBe(429);
    const wait = Date.parse(first?.next_retry_at ?? "") - Date.parse(first?.finished_at ?? "");
    expect(wait).toBeGreaterThanOrEqual(120_000);
    expect(wait).toBeLessThan(125_000);

    // A message that comes early is sent on for the rest of the wait, not attempted.
    await runConsumer({ deliveryId: id, attempt: 2 }, {}, fast);
    expect(internet.requestsTo(url)).toHaveLength(1);
    await runConsumer({ deliveryId: id, attempt: 2 }, { now: () => new Date(Date.now() + 121_000) }, fast);
    [delivery] = await deliveriesOf(hook.id);
    const second = delivery?.attempts[1];
    expect(second?.status_code).toBe(503);
    // HTTP dates have whole seconds.
    expect(Date.parse(second?.next_retry_at ?? "")).toBeGreaterThanOrEqual(backAt.getTime() - 1000);
  });

  it("fails an attempt when the receiver never answers, within the timeout (15 s in production)", async () => {
    expect(DELIVERY_TIMEOUT_MS).toBe(15_000);
    const url = receiverUrl("silent");
    const hook = await createHook(url);
    internet.on(url, () => new Promise<Response>(() => {}));
    const id = await pendingDelivery(slow, hook.id, "e-silent");
    const started = Date.now();
    await runConsumer({ deliveryId: id, attempt: 1 }, { timeoutMs: 300 }, slow);
    expect(Date.now() - started).toBeLessThan(5_000);
    const [delivery] = await deliveriesOf(hook.id);
    expect(delivery?.state).toBe("failed");
    expect(delivery?.attempts[0]?.error).toMatch(/no complete answer within 0.3 s/);
    expect(delivery?.attempts[0]?.latency_ms).toBeGreaterThanOrEqual(290);
  });

  it("times out a receiver that sends headers but never finishes the body", async () => {
    const url = receiverUrl("trickle");
    const hook = await createHook(url);
    internet.on(url, () => new Response(new ReadableStream({ start() {} }), { status: 200 }));
    const id = await pendingDelivery(slow, hook.id, "e-trickle");
    await runConsumer({ deliveryId: id, attempt: 1 }, { timeoutMs: 300 }, slow);
    const [delivery] = await deliveriesOf(hook.id);
    expect(delivery?.state).toBe("failed");
    expect(delivery?.attempts[0]?.status_code).toBeNull();
  });

  it("keeps only a bounded excerpt of a huge response body", async () => {
    const url = receiverUrl("huge");
    const hook = await createHook(url);
    internet.on(url, () => new Response("x".repeat(5_000_000), { status: 500 }));
    const id = await pendingDelivery(slow, hook.id, "e-huge");
    await runConsumer({ deliveryId: id, attempt: 1 }, {}, slow);
    const row = await env.DB.prepare(
      "SELECT length(response_excerpt) AS n FROM delivery_attempts WHERE delivery_id = ?",
    )
      .bind(id)
      .first<{ n: number }>();
    expect(row?.n).toBeGreaterThan(0);
    expect(row?.n).toBeLessThanOrEqual(1024);
  });

  it("re-sends with the same webhook-id after a crash between sending and recording", async () => {
    const url = receiverUrl("crash");
    const hook = await createHook(url);
    // The crash: once the receiver has the request, recording the attempt fails (a trigger
    // aborts the write), so the Worker stops after sending and before recording, as a crash would.
    let crashNext = true;
    internet.on(
      url,
      verifyingReceiver(hook.secret, async () => {
        if (crashNext) {
          crashNext = false;
          await env.DB.exec(
            "CREATE TRIGGER simulated_crash BEFORE UPDATE OF finished_at ON delivery_attempts BEGIN SELECT RAISE(ABORT, 'simulated crash'); END",
          );
        }
        return new Response("ok");
      }),
    );
    const id = await pendingDelivery(slow, hook.id, "e-crash");

    const crashed = await runConsumer({ deliveryId: id, attempt: 1 }, {}, slow);
    await env.DB.exec("DROP TRIGGER simulated_crash");
    // The message was not acknowledged: the queue will bring it back.
    expect(crashed.retryMessages).toHaveLength(1);
    expect(internet.requestsTo(url)).toHaveLength(1);
    let [delivery] = await deliveriesOf(hook.id);
    expect(delivery?.state).toBe("pending");
    expect(delivery?.attempts[0]?.finished_at).toBeNull();

    // Redelivered at once, the attempt still looks in flight: back off, send nothing.
    const early = await runConsumer({ deliveryId: id, attempt: 1 }, {}, slow);
    expect(early.retryMessages).toHaveLength(1);
    expect(await processDeliveryMessage(slow, { deliveryId: id, attempt: 1 })).toMatchObject({
      kind: "retry",
      delaySeconds: ATTEMPT_LEASE_SECONDS,
    });
    expect(internet.requestsTo(url)).toHaveLength(1);

    // After the lease, the attempt is taken over and sent again with the same id.
    const later = () => new Date(Date.now() + 61_000);
    const again = await runConsumer({ deliveryId: id, attempt: 1 }, { now: later }, slow);
    expect(again.explicitAcks).toHaveLength(1);
    const requests = internet.requestsTo(url);
    expect(requests).toHaveLength(2);
    expect(requests[1]?.headers["webhook-id"]).toBe(requests[0]?.headers["webhook-id"]);
    for (const request of requests) expect(() => verifySignature(hook.secret, request)).not.toThrow();
    [delivery] = await deliveriesOf(hook.id);
    expect(delivery?.state).toBe("succeeded");

    // A duplicate message after success sends nothing.
    await runConsumer({ deliveryId: id, attempt: 1 }, {}, slow);
    await runConsumer({ deliveryId: id, attempt: 2 }, {}, slow);
    expect(internet.requestsTo(url)).toHaveLength(2);
  });

  it("queues the next attempt when a crash came after recording a failure but before queueing it", async () => {
    const url = receiverUrl("requeue");
    const hook = await createHook(url);
    internet.on(
      url,
      verifyingReceiver(hook.secret, () => new Response("ok")),
    );
    const id = await pendingDelivery(env, hook.id, "e-requeue");
    // The state such a crash leaves: attempt 1 recorded as failed, attempt 2 due, no message for it.
    const now = new Date().toISOString();
    await env.DB.batch([
      env.DB.prepare(
        `INSERT INTO delivery_attempts (delivery_id, attempt, attempted_at, finished_at, status_code, latency_ms, error, next_retry_at)
         VALUES (?, 1, ?, ?, 500, 12, 'HTTP 500', ?)`,
      ).bind(id, now, now, now),
      env.DB.prepare(
        "UPDATE deliveries SET state = 'failed', attempts = 1, next_attempt_at = ?, last_status_code = 500 WHERE id = ?",
      ).bind(now, id),
    ]);
    // The queue brings attempt 1's message back (it was never acknowledged).
    const result = await runConsumer({ deliveryId: id, attempt: 1 });
    expect(result.explicitAcks).toHaveLength(1);
    await vi.waitFor(async () => expect((await deliveriesOf(hook.id))[0]?.state).toBe("succeeded"), {
      timeout: 10_000,
      interval: 200,
    });
    expect(internet.requestsTo(url)).toHaveLength(1);
    expect((await deliveriesOf(hook.id))[0]?.attempts.map((a) => a.attempt)).toEqual([1, 2]);
  });

  it("disables a webhook that has been failing for days, with the reason", async () => {
    const url = receiverUrl("days");
    const hook = await createHook(url);
    internet.on(url, () => new Response("err", { status: 502 }));
    const fourDaysAgo = new Date(Date.now() - 4 * 86_400_000).toISOString();
    await env.DB.prepare("UPDATE webhooks SET failing_since = ?, consecutive_failures = 40 WHERE id = ?")
      .bind(fourDaysAgo, hook.id)
      .run();
    const id = await pendingDelivery(slow, hook.id, "e-days");
    await runConsumer({ deliveryId: id, attempt: 1 }, {}, slow);
    const webhook = await (await api(`/v1/webhooks/${hook.id}`)).json<{ disabled_reason: string | null }>();
    expect(webhook.disabled_reason).toMatch(/failing since .*41 failed attempts in a row/);
    expect((await deliveriesOf(hook.id))[0]?.state).toBe("dead");
  });

  it("marks a dead-lettered queue message's delivery dead, so it stays listed and redeliverable", async () => {
    const url = receiverUrl("dlq");
    const hook = await createHook(url);
    const id = await pendingDelivery(slow, hook.id, "e-dlq");
    const batch = createMessageBatch<DeliveryMessage>("deliveries-dlq", [
      { id: "dlq-1", timestamp: new Date(), attempts: 1, body: { deliveryId: id, attempt: 1 } },
    ]);
    const ctx = createExecutionContext();
    await consumeDeadDeliveries(batch, slow);
    expect((await getQueueResult(batch, ctx)).explicitAcks).toEqual(["dlq-1"]);
    const [delivery] = await deliveriesOf(hook.id, "?state=dead");
    expect(delivery?.id).toBe(id);
    expect(delivery?.last_error).toMatch(/retry/);
  });
});
