import { getConfig } from "../config";
import {
  claimAttempt,
  type DeliveryRow,
  type DeliveryState,
  getDelivery,
  markDeliveryDead,
  markWebhookDeliveriesDead,
  recordAttempt,
} from "../store/deliveries";
import {
  disableWebhook,
  enableWebhook,
  getWebhook,
  markWebhookFailing,
  markWebhookHealthy,
  type WebhookRow,
} from "../store/webhooks";
import { renderBody } from "./format";
import { type DeliveryMessage, isDeliveryMessage, sendDeliveryMessages } from "./messages";
import { ATTEMPT_LEASE_SECONDS, nextDelay, parseRetryAfter, retrySchedule } from "./schedule";
import { decryptSecret } from "./secrets";
import { signedHeaders } from "./signing";

/** No answer (status, headers and body) within this is a failed attempt. */
export const DELIVERY_TIMEOUT_MS = 15_000;
/** A webhook failing without a single success for this long is disabled. */
export const DISABLE_AFTER_FAILING_MS = 3 * 24 * 3_600_000;
/** How much of a receiver's answer is read and kept for the deliveries log. */
export const RESPONSE_EXCERPT_BYTES = 1_024;

/** A message may arrive this much before its delivery is due and still be sent. */
export const EARLY_TOLERANCE_SECONDS = 5;

export const USER_AGENT = "storywatch-webhooks/1";

export interface DeliveryOptions {
  /** Overall deadline for one attempt; tests shorten it. */
  timeoutMs?: number;
  now?: () => Date;
  random?: () => number;
}

export type MessageOutcome =
  | { kind: "ack"; reason: string }
  /** Leave the message on the queue and see it again after `delaySeconds`. */
  | { kind: "retry"; delaySeconds: number; reason: string };

interface HttpResult {
  statusCode: number | null;
  retryAfter: string | null;
  excerpt: string | null;
  error: string | null;
  latencyMs: number;
}

class AttemptTimeout extends Error {}

/** Reads at most `limit` bytes of a body and drops the rest: a receiver cannot make us buffer megabytes. */
async function readExcerpt(response: Response, limit: number): Promise<string | null> {
  if (!response.body) return null;
  const reader = response.body.getReader();
  const chunks: Uint8Array[] = [];
  let size = 0;
  try {
    while (size < limit) {
      const { done, value } = await reader.read();
      if (done) break;
      chunks.push(value);
      size += value.byteLength;
    }
  } finally {
    reader.cancel().catch(() => {});
  }
  const bytes = new Uint8Array(Math.min(size, limit));
  let offset = 0;
  for (const chunk of chunks) {
    const part = chunk.subarray(0, Math.min(chunk.byteLength, bytes.length - offset));
    bytes.set(part, offset);
    offset += part.byteLength;
    if (offset >= bytes.length) break;
  }
  const text = new TextDecoder().decode(bytes);
  return text === "" ? null : text;
}

/** One POST, never following redirects, with a deadline over the whole exchange. */
async function post(
  url: string,
  headers: Record<string, string>,
  body: string,
  timeoutMs: number,
): Promise<HttpResult> {
  const started = Date.now();
  const controller = new AbortController();
  let timer: ReturnType<typeof setTimeout> | undefined;
  const deadline = new Promise<never>((_, reject) => {
    timer = setTimeout(() => {
      controller.abort();
      reject(new AttemptTimeout());
    }, timeoutMs);
  });
  const exchange = (async () => {
    const response = await fetch(url, {
      method: "POST",
      headers,
      body,
      // A 3xx is a failure, never followed: the webhook URL must name the receiver itself.
      redirect: "manual",
      signal: controller.signal,
    });
    const excerpt = await readExcerpt(response, RESPONSE_EXCERPT_BYTES);
    return { response, excerpt };
  })();
  try {
    const { response, excerpt } = await Promise.race([exchange, deadline]);
    return {
      statusCode: response.status,
      retryAfter: response.headers.get("retry-after"),
      excerpt,
      error: response.status >= 200 && response.status < 300 ? null : describeStatus(response),
      latencyMs: Date.now() - started,
    };
  } catch (error) {
    exchange.catch(() => {});
    const message =
      error instanceof AttemptTimeout
        ? `no complete answer within ${timeoutMs / 1000} s`
        : `request failed: ${error instanceof Error ? error.message : String(error)}`;
    return { statusCode: null, retryAfter: null, excerpt: null, error: message, latencyMs: Date.now() - started };
  } finally {
    if (timer !== undefined) clearTimeout(timer);
  }
}

function describeStatus(response: Response): string {
  if (response.status >= 300 && response.status < 400) {
    const location = response.headers.get("location");
    return `HTTP ${response.status}: redirects are not followed${location ? ` (Location: ${location.slice(0, 200)})` : ""}; set the webhook URL to the final address`;
  }
  if (response.status === 410) return "HTTP 410 Gone: the receiver says this endpoint is gone";
  return `HTTP ${response.status}`;
}

const addSeconds = (date: Date, seconds: number): string => new Date(date.getTime() + seconds * 1000).toISOString();

/** Puts attempt `attempt + 1` on the queue for when it is due. */
async function scheduleNext(
  env: Env,
  delivery: Pick<DeliveryRow, "id" | "next_attempt_at">,
  attempt: number,
  now: Date,
) {
  const due = delivery.next_attempt_at ? Date.parse(delivery.next_attempt_at) : now.getTime();
  await sendDeliveryMessages(env.DELIVERIES, [
    {
      body: { deliveryId: delivery.id, attempt: attempt + 1 },
      delaySeconds: Math.max(0, (due - now.getTime()) / 1000),
    },
  ]);
}

/**
 * Makes one attempt of one delivery, as one queue message asks. Safe against duplicate and
 * stale messages: a recorded attempt is never made again, a succeeded or dead delivery is
 * only re-sent when a user asked (manual), and an attempt left unfinished by a crash is taken
 * over after ATTEMPT_LEASE_SECONDS and re-sent with the same webhook-id.
 */
export async function processDeliveryMessage(
  env: Env,
  message: DeliveryMessage,
  options: DeliveryOptions = {},
): Promise<MessageOutcome> {
  const now = options.now ?? (() => new Date());
  const delivery = await getDelivery(env.DB, message.deliveryId);
  if (!delivery) return { kind: "ack", reason: "delivery no longer exists (webhook deleted)" };

  if (message.attempt <= delivery.attempts) {
    // A duplicate of an attempt already recorded. If the process died after recording it but
    // before queueing the next one, this is the moment to queue it (duplicates are harmless).
    if (delivery.state === "failed" && delivery.attempts === message.attempt && !message.manual) {
      await scheduleNext(env, delivery, message.attempt, now());
    }
    return { kind: "ack", reason: `attempt ${message.attempt} already made` };
  }
  if (!message.manual && (delivery.state === "succeeded" || delivery.state === "dead")) {
    return { kind: "ack", reason: `delivery already ${delivery.state}` };
  }

  // Not due yet: a wait longer than one queue delay, or a message that came early. Send it on.
  const dueIn = delivery.next_attempt_at ? (Date.parse(delivery.next_attempt_at) - now().getTime()) / 1000 : 0;
  if (!message.manual && dueIn > EARLY_TOLERANCE_SECONDS) {
    await sendDeliveryMessages(env.DELIVERIES, [{ body: message, delaySeconds: dueIn }]);
    return { kind: "ack", reason: `not due for ${Math.round(dueIn)} s` };
  }

  const webhook = await getWebhook(env.DB, delivery.webhook_id);
  if (!webhook) return { kind: "ack", reason: "webhook no longer exists" };
  if (webhook.disabled_at && !message.manual) {
    await markDeliveryDead(
      env.DB,
      delivery.id,
      `webhook disabled: ${webhook.disabled_reason ?? "no reason given"}`,
      now().toISOString(),
    );
    return { kind: "ack", reason: "webhook disabled" };
  }

  const claimedAt = now();
  const staleBefore = new Date(claimedAt.getTime() - ATTEMPT_LEASE_SECONDS * 1000).toISOString();
  const claim = await claimAttempt(env.DB, delivery.id, message.attempt, claimedAt.toISOString(), staleBefore);
  if (claim === "done") return { kind: "ack", reason: `attempt ${message.attempt} already made` };
  if (claim === "busy") {
    return { kind: "retry", delaySeconds: ATTEMPT_LEASE_SECONDS, reason: "attempt in flight elsewhere" };
  }

  const secret = await decryptSecret(env, webhook.id, webhook.secret_ciphertext);
  const body = renderBody(webhook.format, delivery.payload);
  const headers = {
    "content-type": "application/json",
    "user-agent": USER_AGENT,
    ...(await signedHeaders(secret, delivery.message_id, Math.floor(claimedAt.getTime() / 1000), body)),
  };
  const result = await post(webhook.url, headers, body, options.timeoutMs ?? DELIVERY_TIMEOUT_MS);

  await recordOutcome(env, delivery, webhook, message, result, now(), options.random ?? Math.random);
  return { kind: "ack", reason: result.error ?? `HTTP ${result.statusCode}` };
}

async function recordOutcome(
  env: Env,
  delivery: DeliveryRow,
  webhook: WebhookRow,
  message: DeliveryMessage,
  result: HttpResult,
  finishedAt: Date,
  random: () => number,
): Promise<void> {
  const finished = finishedAt.toISOString();
  const base = {
    deliveryId: delivery.id,
    attempt: message.attempt,
    finishedAt: finished,
    statusCode: result.statusCode,
    latencyMs: result.latencyMs,
    error: result.error,
    responseExcerpt: result.excerpt,
  };

  if (result.error === null) {
    await recordAttempt(env.DB, { ...base, state: "succeeded", nextAttemptAt: null });
    if (webhook.disabled_at) await enableWebhook(env.DB, webhook.id);
    else await markWebhookHealthy(env.DB, webhook.id);
    return;
  }

  let disableReason: string | null = null;
  if (result.statusCode === 410) {
    disableReason = `the receiver answered 410 Gone at ${finished}; create a new webhook for a new endpoint`;
  } else {
    const failing = await markWebhookFailing(env.DB, webhook.id, finished);
    const since = failing?.failing_since ? Date.parse(failing.failing_since) : finishedAt.getTime();
    if (!webhook.disabled_at && finishedAt.getTime() - since >= DISABLE_AFTER_FAILING_MS) {
      disableReason = `failing since ${failing?.failing_since} (${failing?.consecutive_failures} failed attempts in a row, last: ${result.error}); fix the endpoint, then redeliver its dead deliveries`;
    }
  }

  const retryAfter =
    result.statusCode === 429 || result.statusCode === 503 ? parseRetryAfter(result.retryAfter, finishedAt) : null;
  const schedule = retrySchedule(getConfig(env).webhookRetrySchedule);
  // A manual redelivery is a single attempt; otherwise follow the schedule until it runs out.
  const delay = disableReason || message.manual ? null : nextDelay(schedule, message.attempt, retryAfter, random);
  const state: DeliveryState = delay === null ? "dead" : "failed";
  const nextAttemptAt = delay === null ? null : addSeconds(finishedAt, delay);

  await recordAttempt(env.DB, { ...base, state, nextAttemptAt });
  if (disableReason && !webhook.disabled_at) {
    await disableWebhook(env.DB, webhook.id, finished, disableReason);
    await markWebhookDeliveriesDead(env.DB, webhook.id, `webhook disabled: ${disableReason}`, finished);
  }
  if (delay !== null) {
    await sendDeliveryMessages(env.DELIVERIES, [
      { body: { deliveryId: delivery.id, attempt: message.attempt + 1 }, delaySeconds: delay },
    ]);
  }
}

/** The `deliveries` queue consumer. Messages of one batch go out concurrently. */
export async function consumeDeliveries(
  batch: MessageBatch<unknown>,
  env: Env,
  options: DeliveryOptions = {},
): Promise<void> {
  await Promise.all(
    batch.messages.map(async (message) => {
      if (!isDeliveryMessage(message.body)) {
        console.error("deliveries: dropping a malformed message", message.id);
        message.ack();
        return;
      }
      try {
        const outcome = await processDeliveryMessage(env, message.body, options);
        if (outcome.kind === "retry") message.retry({ delaySeconds: outcome.delaySeconds });
        else message.ack();
      } catch (error) {
        // Our own failure (D1, the queue): the message comes back; the claim makes that safe.
        console.error(`deliveries: ${message.body.deliveryId} attempt ${message.body.attempt} failed:`, error);
        message.retry();
      }
    }),
  );
}

/**
 * The `deliveries-dlq` consumer: a message that failed on our side again and again. Nothing
 * is dropped silently: the delivery becomes `dead`, stays listed, and can be redelivered.
 */
export async function consumeDeadDeliveries(batch: MessageBatch<unknown>, env: Env): Promise<void> {
  const now = new Date().toISOString();
  for (const message of batch.messages) {
    if (isDeliveryMessage(message.body)) {
      await markDeliveryDead(
        env.DB,
        message.body.deliveryId,
        `gave up after repeated internal errors on attempt ${message.body.attempt}; redeliver with POST /v1/deliveries/${message.body.deliveryId}/retry`,
        now,
      );
    }
    message.ack();
  }
}
