import { z } from "@hono/zod-openapi";
import { ALERT_EVENT_TYPES, type AlertEvent, type SubscribableEventType } from "../contracts";

export const WebhookFormatSchema = z.enum(["standard", "slack", "discord"]);
export type WebhookFormat = z.infer<typeof WebhookFormatSchema>;

export interface WebhookRow {
  id: string;
  url: string;
  format: WebhookFormat;
  storylines: string | null;
  event_types: string;
  secret_ciphertext: string;
  created_at: string;
  disabled_at: string | null;
  disabled_reason: string | null;
  failing_since: string | null;
  consecutive_failures: number;
}

/** A webhook as the API shows it, never its secret: the one schema, which the API documents and the type derives from. */
export const WebhookSchema = z
  .object({
    id: z.string().openapi({ example: "wh_k3j5n2p7q9r4s6t8v2w4" }),
    url: z.string(),
    format: WebhookFormatSchema,
    storylines: z.array(z.string()).nullable().openapi({ description: "Storyline ids it hears about; null = all" }),
    event_types: z.array(z.enum(ALERT_EVENT_TYPES)),
    created_at: z.string(),
    disabled_at: z.string().nullable().openapi({ description: "Set when deliveries stopped: see disabled_reason" }),
    disabled_reason: z.string().nullable(),
    failing_since: z.string().nullable().openapi({ description: "First failed attempt since the last success" }),
    consecutive_failures: z.number().int(),
  })
  .openapi("Webhook");
export type WebhookJson = z.infer<typeof WebhookSchema>;

export function webhookJson(row: WebhookRow): WebhookJson {
  return {
    id: row.id,
    url: row.url,
    format: row.format,
    storylines: row.storylines === null ? null : (JSON.parse(row.storylines) as string[]),
    event_types: JSON.parse(row.event_types) as SubscribableEventType[],
    created_at: row.created_at,
    disabled_at: row.disabled_at,
    disabled_reason: row.disabled_reason,
    failing_since: row.failing_since,
    consecutive_failures: row.consecutive_failures,
  };
}

/**
 * Whether a webhook wants this event: the event type is one it subscribed to, and for a
 * storyline event the storyline passes its filter. Feed events concern no storyline, so a
 * storyline filter does not hold them back (subscribing to feed.* is the opt-in).
 */
export function webhookAccepts(row: Pick<WebhookRow, "storylines" | "event_types">, event: AlertEvent): boolean {
  const types = JSON.parse(row.event_types) as string[];
  if (!types.includes(event.type)) return false;
  if (row.storylines === null || event.storylineId === null) return true;
  return (JSON.parse(row.storylines) as string[]).includes(event.storylineId);
}

export async function insertWebhook(db: D1Database, row: WebhookRow): Promise<void> {
  await db
    .prepare(
      `INSERT INTO webhooks (id, url, format, storylines, event_types, secret_ciphertext, created_at,
         disabled_at, disabled_reason, failing_since, consecutive_failures)
       VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
    )
    .bind(
      row.id,
      row.url,
      row.format,
      row.storylines,
      row.event_types,
      row.secret_ciphertext,
      row.created_at,
      row.disabled_at,
      row.disabled_reason,
      row.failing_since,
      row.consecutive_failures,
    )
    .run();
}

export async function getWebhook(db: D1Database, id: string): Promise<WebhookRow | null> {
  return db.prepare("SELECT * FROM webhooks WHERE id = ?").bind(id).first<WebhookRow>();
}

export async function listWebhooks(db: D1Database): Promise<WebhookRow[]> {
  const { results } = await db.prepare("SELECT * FROM webhooks ORDER BY created_at, id").all<WebhookRow>();
  return results;
}

export async function listEnabledWebhooks(db: D1Database): Promise<WebhookRow[]> {
  const { results } = await db
    .prepare("SELECT * FROM webhooks WHERE disabled_at IS NULL ORDER BY created_at, id")
    .all<WebhookRow>();
  return results;
}

/** Deletes the webhook; its deliveries and their attempts go with it (ON DELETE CASCADE). */
export async function deleteWebhook(db: D1Database, id: string): Promise<boolean> {
  // D1 enforces foreign keys, but delete children explicitly so the result does not depend on it.
  const [, , deleted] = await db.batch([
    db
      .prepare("DELETE FROM delivery_attempts WHERE delivery_id IN (SELECT id FROM deliveries WHERE webhook_id = ?)")
      .bind(id),
    db.prepare("DELETE FROM deliveries WHERE webhook_id = ?").bind(id),
    db.prepare("DELETE FROM webhooks WHERE id = ?").bind(id),
  ]);
  return (deleted?.meta.changes ?? 0) > 0;
}

/** A 2xx: the endpoint works again. */
export async function markWebhookHealthy(db: D1Database, id: string): Promise<void> {
  await db
    .prepare(
      `UPDATE webhooks SET failing_since = NULL, consecutive_failures = 0
       WHERE id = ? AND (failing_since IS NOT NULL OR consecutive_failures <> 0)`,
    )
    .bind(id)
    .run();
}

/** A failed attempt: starts (or continues) the failing streak; returns the updated row. */
export async function markWebhookFailing(db: D1Database, id: string, now: string): Promise<WebhookRow | null> {
  return db
    .prepare(
      `UPDATE webhooks SET failing_since = COALESCE(failing_since, ?), consecutive_failures = consecutive_failures + 1
       WHERE id = ? RETURNING *`,
    )
    .bind(now, id)
    .first<WebhookRow>();
}

export async function disableWebhook(db: D1Database, id: string, now: string, reason: string): Promise<void> {
  await db
    .prepare("UPDATE webhooks SET disabled_at = ?, disabled_reason = ? WHERE id = ? AND disabled_at IS NULL")
    .bind(now, reason, id)
    .run();
}

/** A redelivery the user asked for succeeded: the endpoint is back, so the webhook is too. */
export async function enableWebhook(db: D1Database, id: string): Promise<void> {
  await db
    .prepare(
      `UPDATE webhooks SET disabled_at = NULL, disabled_reason = NULL, failing_since = NULL, consecutive_failures = 0
       WHERE id = ?`,
    )
    .bind(id)
    .run();
}
