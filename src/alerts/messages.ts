import { MAX_QUEUE_DELAY_SECONDS } from "./schedule";

/**
 * A message on the `deliveries` queue: "make attempt `attempt` of delivery `deliveryId`".
 * The attempt number makes duplicates harmless: each (delivery, attempt) is claimed once
 * in `delivery_attempts` (UNIQUE (delivery_id, attempt)).
 */
export interface DeliveryMessage {
  deliveryId: string;
  /** 1-based attempt number this message stands for. */
  attempt: number;
  /** A redelivery asked for over the API: one attempt, even for a dead delivery or a disabled webhook. */
  manual?: boolean;
}

export function isDeliveryMessage(value: unknown): value is DeliveryMessage {
  if (typeof value !== "object" || value === null) return false;
  const message = value as Record<string, unknown>;
  return (
    typeof message.deliveryId === "string" &&
    typeof message.attempt === "number" &&
    Number.isInteger(message.attempt) &&
    message.attempt >= 1
  );
}

/** Queues cap sendBatch at 100 messages. */
export const MAX_BATCH_MESSAGES = 100;

export async function sendDeliveryMessages(
  queue: Queue,
  messages: Array<{ body: DeliveryMessage; delaySeconds?: number }>,
): Promise<void> {
  for (let i = 0; i < messages.length; i += MAX_BATCH_MESSAGES) {
    await queue.sendBatch(
      messages.slice(i, i + MAX_BATCH_MESSAGES).map((m) => ({
        body: m.body,
        contentType: "json" as const,
        delaySeconds: Math.min(MAX_QUEUE_DELAY_SECONDS, Math.max(0, Math.round(m.delaySeconds ?? 0))),
      })),
    );
  }
}
