import { createExecutionContext, createMessageBatch, env, getQueueResult } from "cloudflare:test";
import { Webhook } from "standardwebhooks";
import { expect } from "vitest";
import { consumeDeliveries } from "../../src/alerts/deliver";
import type { DeliveryMessage } from "../../src/alerts/messages";
import type { AlertEvent } from "../../src/contracts";
import { api } from "../helpers/api";
import type { FakeHandler, RecordedRequest } from "../helpers/fake-internet";

export interface CreatedHook {
  id: string;
  secret: string;
  url: string;
}

let counter = 0;
/** A receiver URL of its own per test, so queue work from one test never lands on another's. */
export const receiverUrl = (name: string): string => `https://hooks.example/${name}/${++counter}`;

export async function createHook(url: string, extra: Record<string, unknown> = {}): Promise<CreatedHook> {
  const res = await api("/v1/webhooks", { method: "POST", json: { url, ...extra } });
  expect(res.status, await res.clone().text()).toBe(201);
  const body = await res.json<{ id: string; secret: string; url: string }>();
  return body;
}

export function developmentEvent(id: string, storylineId = "putin-trump-summit"): AlertEvent {
  return {
    id,
    type: "development.created",
    storylineId,
    occurredAt: "2025-08-08T12:00:00.000Z",
    data: {
      storyline: { id: storylineId, title: "Putin–Trump summit", kind: "event", status: "scheduled", facts: {} },
      development: {
        id: `dev_${id}`,
        storyline_id: storylineId,
        type: "status_change",
        status: "scheduled",
        previous_status: "agreed",
        facts: { date: "2025-08-15", place: "Alaska" },
        changes: [{ field: "date", from: null, to: "2025-08-15" }],
        title: "Summit set for 15 August in Alaska",
        summary: "The White House said the leaders will meet in Alaska on 15 August.",
        confidence: 0.9,
        outlets: 2,
        sources: [
          {
            url: "https://news.example/a",
            title: "Trump and Putin to meet in Alaska",
            feed_id: "feed_1",
            outlet: "News",
            published_at: "2025-08-08T11:00:00.000Z",
            quote: "They will meet on Friday in Alaska.",
          },
        ],
        first_seen_at: "2025-08-08T12:00:00.000Z",
        updated_at: "2025-08-08T12:00:00.000Z",
        baseline: false,
      },
    },
  };
}

/**
 * Receiver-side check with the reference `standardwebhooks` library: throws unless the
 * request carries a valid signature for `secret`.
 */
export function verifySignature(secret: string, request: RecordedRequest): unknown {
  return new Webhook(secret).verify(request.body, {
    "webhook-id": request.headers["webhook-id"] ?? "",
    "webhook-timestamp": request.headers["webhook-timestamp"] ?? "",
    "webhook-signature": request.headers["webhook-signature"] ?? "",
  });
}

/** A handler that verifies the signature first (a bad one answers 401), then answers `response`. */
export function verifyingReceiver(secret: string, response: () => Response | Promise<Response>): FakeHandler {
  return (_request, recorded) => {
    try {
      verifySignature(secret, recorded);
    } catch (error) {
      return new Response(`bad signature: ${(error as Error).message}`, { status: 401 });
    }
    return response();
  };
}

export async function deliveriesOf(webhookId: string, query = ""): Promise<DeliveryView[]> {
  const res = await api(`/v1/webhooks/${webhookId}/deliveries${query}`);
  expect(res.status).toBe(200);
  return (await res.json<{ deliveries: DeliveryView[] }>()).deliveries;
}

export interface DeliveryView {
  id: string;
  message_id: string;
  state: string;
  attempt_count: number;
  next_attempt_at: string | null;
  last_status_code: number | null;
  last_error: string | null;
  attempts: Array<{
    attempt: number;
    attempted_at: string;
    finished_at: string | null;
    status_code: number | null;
    latency_ms: number | null;
    error: string | null;
    next_retry_at: string | null;
  }>;
}

/** The env with a different retry schedule (config is read per env object). */
export const withSchedule = (schedule: string): Env => ({ ...env, WEBHOOK_RETRY_SCHEDULE: schedule }) as Env;

export async function runConsumer(
  message: DeliveryMessage,
  options: Parameters<typeof consumeDeliveries>[2] = {},
  target: Env = env,
) {
  const batch = createMessageBatch<DeliveryMessage>("deliveries", [
    { id: `m${Math.random()}`, timestamp: new Date(), attempts: 1, body: message },
  ]);
  const ctx = createExecutionContext();
  await consumeDeliveries(batch, target, options);
  return getQueueResult(batch, ctx);
}

/** Creates the delivery rows without waking the real queue consumer: the test drives it. */
export async function pendingDelivery(target: Env, hookId: string, eventId: string, dueAt = new Date()) {
  const { insertDeliveries } = await import("../../src/store/deliveries");
  const { eventBody } = await import("../../src/alerts/enqueue");
  const now = new Date().toISOString();
  const id = `dlv_test_${eventId}`;
  await insertDeliveries(target.DB, [
    {
      id,
      webhookId: hookId,
      eventId,
      messageId: `msg_test_${eventId}`,
      eventType: "development.created",
      payload: eventBody(developmentEvent(eventId)),
      nextAttemptAt: dueAt.toISOString(),
      now,
    },
  ]);
  return id;
}
