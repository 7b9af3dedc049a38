import { getConfig } from "../config";
import type { SubscribableEventType } from "../contracts";
import { checkPublicUrl } from "../feeds/url-guard";
import { InvalidInput, NotFound } from "../lib/errors";
import { type DeliveryJson, getDelivery, getDeliveryJson, takeRedelivery } from "../store/deliveries";
import { unknownStorylineIds } from "../store/storylines";
import { getWebhook, insertWebhook, type WebhookFormat, type WebhookJson, webhookJson } from "../store/webhooks";
import { newWebhookId } from "./ids";
import { sendDeliveryMessages } from "./messages";
import { encryptSecret } from "./secrets";
import { newSigningSecret } from "./signing";

export { ALERT_EVENT_TYPES } from "../contracts";
export const DEFAULT_EVENT_TYPES: SubscribableEventType[] = ["development.created", "development.updated"];

export interface CreateWebhookInput {
  url: string;
  storylines?: string[] | null;
  format?: WebhookFormat;
  event_types?: SubscribableEventType[];
}

/** Creates a webhook; the signing secret is returned here once and stored only encrypted. */
export async function createWebhook(
  env: Env,
  input: CreateWebhookInput,
  now: Date = new Date(),
): Promise<WebhookJson & { secret: string }> {
  const url = checkPublicUrl(input.url, { allowPrivateNetwork: getConfig(env).allowPrivateNetwork, field: "url" });
  const storylines = input.storylines ? [...new Set(input.storylines)] : null;
  if (storylines) {
    const unknown = await unknownStorylineIds(env.DB, storylines);
    if (unknown.length > 0) {
      throw new InvalidInput(
        "storylines",
        `unknown: ${unknown.join(", ")}`,
        `storylines names unknown storylines: ${unknown.map((id) => `"${id}"`).join(", ")}. Use ids from GET /v1/storylines, or leave storylines out to hear about all of them.`,
      );
    }
  }
  const id = newWebhookId();
  const secret = newSigningSecret();
  const row = {
    id,
    url: url.href,
    format: input.format ?? "standard",
    storylines: storylines ? JSON.stringify(storylines) : null,
    event_types: JSON.stringify(input.event_types ? [...new Set(input.event_types)] : DEFAULT_EVENT_TYPES),
    secret_ciphertext: await encryptSecret(env, id, secret),
    created_at: now.toISOString(),
    disabled_at: null,
    disabled_reason: null,
    failing_since: null,
    consecutive_failures: 0,
  };
  await insertWebhook(env.DB, row);
  return { ...webhookJson(row), secret };
}

/** Requests to redeliver the same delivery within this many seconds are one redelivery. */
export const REDELIVERY_WINDOW_SECONDS = 60;

/**
 * Sends a delivery again, now, with its original webhook-id. A delivery still being retried
 * gets its next attempt early; a dead or succeeded one gets one more attempt (manual), even
 * when its webhook is disabled, and a success then re-enables the webhook. Idempotent: the
 * requests for one delivery within REDELIVERY_WINDOW_SECONDS (a double click, parallel calls,
 * a client retrying) send it once; the later ones answer with the delivery as it stands.
 */
export async function redeliver(env: Env, deliveryId: string, now: Date = new Date()): Promise<DeliveryJson> {
  const delivery = await getDelivery(env.DB, deliveryId);
  if (!delivery) throw new NotFound("delivery", deliveryId);
  const webhook = await getWebhook(env.DB, delivery.webhook_id);
  if (!webhook) throw new NotFound("delivery", deliveryId);
  const manual = delivery.state === "dead" || delivery.state === "succeeded" || webhook.disabled_at !== null;
  const windowStart = new Date(now.getTime() - REDELIVERY_WINDOW_SECONDS * 1000).toISOString();
  if (await takeRedelivery(env.DB, delivery.id, delivery.attempts, now.toISOString(), windowStart)) {
    await sendDeliveryMessages(env.DELIVERIES, [
      { body: { deliveryId: delivery.id, attempt: delivery.attempts + 1, ...(manual ? { manual: true } : {}) } },
    ]);
  }
  const updated = await getDeliveryJson(env.DB, delivery.id);
  if (!updated) throw new NotFound("delivery", deliveryId);
  return updated;
}
