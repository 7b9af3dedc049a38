import { getConfig } from "../config";
import type { AlertEvent } from "../contracts";
import { NotFound } from "../lib/errors";
import { insertDeliveries, type NewDelivery, takeStalledDeliveries } from "../store/deliveries";
import { getWebhook, listEnabledWebhooks, webhookAccepts } from "../store/webhooks";
import { newDeliveryId, newMessageId } from "./ids";
import { type DeliveryMessage, sendDeliveryMessages } from "./messages";
import { firstDelay, retrySchedule } from "./schedule";

/** The Standard Webhooks body (DESIGN.md): `{ type, timestamp, data }`. */
export function eventBody(event: AlertEvent): string {
  return JSON.stringify({ type: event.type, timestamp: event.occurredAt, data: event.data });
}

/**
 * Records one delivery per enabled webhook that wants `event` and puts each new one on the
 * deliveries queue. Returns how many deliveries it created.
 *
 * Idempotent: deliveries are unique per (webhook, event id), so calling it again with the
 * same event (a retried queue message, a detector re-run) creates and sends nothing new.
 * At least once: if the process dies between the insert and the send, the delivery stays
 * `pending` with a due time in the past, and `sweepStalledDeliveries` (cron) sends it.
 */
export async function enqueueAlert(env: Env, event: AlertEvent, now: Date = new Date()): Promise<number> {
  const webhooks = (await listEnabledWebhooks(env.DB)).filter((webhook) => webhookAccepts(webhook, event));
  return (await deliverTo(env, webhooks, event, now)).length;
}

/** Records and queues one delivery of `event` per webhook; returns the ids of those it created. */
async function deliverTo(env: Env, webhooks: Array<{ id: string }>, event: AlertEvent, now: Date): Promise<string[]> {
  if (webhooks.length === 0) return [];
  const delay = firstDelay(retrySchedule(getConfig(env).webhookRetrySchedule));
  const nowIso = now.toISOString();
  const payload = eventBody(event);
  const rows: NewDelivery[] = webhooks.map((webhook) => ({
    id: newDeliveryId(),
    webhookId: webhook.id,
    eventId: event.id,
    messageId: newMessageId(),
    eventType: event.type,
    payload,
    nextAttemptAt: new Date(now.getTime() + delay * 1000).toISOString(),
    now: nowIso,
  }));
  const created = await insertDeliveries(env.DB, rows);
  await sendDeliveryMessages(
    env.DELIVERIES,
    created.map((deliveryId) => ({ body: { deliveryId, attempt: 1 } satisfies DeliveryMessage, delaySeconds: delay })),
  );
  return created;
}

/**
 * "Send test alert": a `webhook.test` event to this one webhook (whatever its filters), signed,
 * logged and retried like any alert, so the receiver's setup is proven end to end. Its body
 * has the shape of a development event, plainly marked as a test. Returns the delivery's id.
 */
export async function sendTestAlert(env: Env, webhookId: string, now: Date = new Date()): Promise<string> {
  const webhook = await getWebhook(env.DB, webhookId);
  if (!webhook) throw new NotFound("webhook", webhookId);
  const nowIso = now.toISOString();
  const event: AlertEvent = {
    id: `test:${newMessageId()}`,
    type: "webhook.test",
    storylineId: null,
    occurredAt: nowIso,
    data: {
      storyline: { id: "storywatch-test", title: "storywatch test alert" },
      development: {
        id: "dev_test",
        type: "status_change",
        status: "scheduled",
        previous_status: "agreed",
        title: "This is a test alert from storywatch: your webhook works",
        summary: 'Sent from the console\'s "Send test alert". Real alerts have this shape.',
        facts: {},
        sources: [],
        first_seen_at: nowIso,
        updated_at: nowIso,
      },
    },
  };
  const [id] = await deliverTo(env, [webhook], event, now);
  if (!id) throw new Error("the test delivery was not recorded");
  return id;
}

/** How long past its due time a delivery may sit before the sweep assumes its message is lost. */
export const STALLED_AFTER_SECONDS = 15 * 60;

/**
 * Cron: re-sends the queue message of every delivery that is due for well over
 * STALLED_AFTER_SECONDS and still not attempted (a crash between insert and send, between
 * recording an attempt and scheduling the next, or a lost message). A duplicate message is
 * harmless: each (delivery, attempt) is claimed once. Returns how many it re-sent.
 */
export async function sweepStalledDeliveries(env: Env, now: Date = new Date(), limit = 500): Promise<number> {
  const dueBefore = new Date(now.getTime() - STALLED_AFTER_SECONDS * 1000).toISOString();
  const stalled = await takeStalledDeliveries(env.DB, dueBefore, now.toISOString(), limit);
  await sendDeliveryMessages(
    env.DELIVERIES,
    stalled.map((d) => ({ body: { deliveryId: d.id, attempt: d.attempts + 1 } satisfies DeliveryMessage })),
  );
  return stalled.length;
}
