import type { AlertEventType } from "../contracts";
import { encodeCursor } from "../lib/cursor";

export type DeliveryState = "pending" | "succeeded" | "failed" | "dead";

export interface DeliveryRow {
  id: string;
  webhook_id: string;
  event_id: string;
  message_id: string;
  event_type: AlertEventType;
  payload: string;
  state: DeliveryState;
  attempts: number;
  next_attempt_at: string | null;
  last_status_code: number | null;
  last_error: string | null;
  created_at: string;
  updated_at: string;
}

export interface AttemptRow {
  delivery_id: string;
  attempt: number;
  attempted_at: string;
  finished_at: string | null;
  status_code: number | null;
  latency_ms: number | null;
  error: string | null;
  next_retry_at: string | null;
  response_excerpt: string | null;
}

export interface NewDelivery {
  id: string;
  webhookId: string;
  eventId: string;
  messageId: string;
  eventType: AlertEventType;
  payload: string;
  nextAttemptAt: string;
  now: string;
}

/**
 * Inserts one delivery per (webhook, event); an existing one is left alone. Returns the ids
 * of the deliveries this call created (the ones to put on the queue).
 */
export async function insertDeliveries(db: D1Database, deliveries: NewDelivery[]): Promise<string[]> {
  if (deliveries.length === 0) return [];
  const results = await db.batch<{ id: string }>(
    deliveries.map((d) =>
      db
        .prepare(
          `INSERT INTO deliveries (id, webhook_id, event_id, message_id, event_type, payload, state, attempts,
             next_attempt_at, created_at, updated_at)
           VALUES (?, ?, ?, ?, ?, ?, 'pending', 0, ?, ?, ?)
           ON CONFLICT (webhook_id, event_id) DO NOTHING
           RETURNING id`,
        )
        .bind(d.id, d.webhookId, d.eventId, d.messageId, d.eventType, d.payload, d.nextAttemptAt, d.now, d.now),
    ),
  );
  return results.flatMap((r) => r.results.map((row) => row.id));
}

export async function getDelivery(db: D1Database, id: string): Promise<DeliveryRow | null> {
  return db.prepare("SELECT * FROM deliveries WHERE id = ?").bind(id).first<DeliveryRow>();
}

export type ClaimResult = "claimed" | "done" | "busy";

/**
 * Claims attempt `attempt` of a delivery before sending it. "done": that attempt was already
 * made and recorded (a duplicate message). "busy": another invocation is sending it right
 * now. An unfinished claim older than `staleBefore` was left by a crash and is taken over.
 */
export async function claimAttempt(
  db: D1Database,
  deliveryId: string,
  attempt: number,
  now: string,
  staleBefore: string,
): Promise<ClaimResult> {
  const inserted = await db
    .prepare(
      `INSERT INTO delivery_attempts (delivery_id, attempt, attempted_at) VALUES (?, ?, ?)
       ON CONFLICT (delivery_id, attempt) DO NOTHING RETURNING id`,
    )
    .bind(deliveryId, attempt, now)
    .first<{ id: number }>();
  if (inserted) return "claimed";
  const existing = await db
    .prepare("SELECT attempted_at, finished_at FROM delivery_attempts WHERE delivery_id = ? AND attempt = ?")
    .bind(deliveryId, attempt)
    .first<{ attempted_at: string; finished_at: string | null }>();
  if (!existing || existing.finished_at !== null) return "done";
  if (existing.attempted_at >= staleBefore) return "busy";
  const takeover = await db
    .prepare(
      `UPDATE delivery_attempts SET attempted_at = ?
       WHERE delivery_id = ? AND attempt = ? AND attempted_at = ? AND finished_at IS NULL`,
    )
    .bind(now, deliveryId, attempt, existing.attempted_at)
    .run();
  return takeover.meta.changes > 0 ? "claimed" : "busy";
}

export interface AttemptResult {
  deliveryId: string;
  attempt: number;
  finishedAt: string;
  statusCode: number | null;
  latencyMs: number;
  error: string | null;
  responseExcerpt: string | null;
  /** The delivery's state after this attempt. */
  state: DeliveryState;
  /** When the next attempt is due (state "failed"), else null. */
  nextAttemptAt: string | null;
}

/** Finishes the attempt row and moves the delivery on, in one batch (one transaction). */
export async function recordAttempt(db: D1Database, result: AttemptResult): Promise<void> {
  await db.batch([
    db
      .prepare(
        `UPDATE delivery_attempts SET finished_at = ?, status_code = ?, latency_ms = ?, error = ?, next_retry_at = ?,
           response_excerpt = ?
         WHERE delivery_id = ? AND attempt = ?`,
      )
      .bind(
        result.finishedAt,
        result.statusCode,
        result.latencyMs,
        result.error,
        result.nextAttemptAt,
        result.responseExcerpt,
        result.deliveryId,
        result.attempt,
      ),
    db
      .prepare(
        `UPDATE deliveries SET state = ?, attempts = MAX(attempts, ?), next_attempt_at = ?, last_status_code = ?,
           last_error = ?, updated_at = ?
         WHERE id = ?`,
      )
      .bind(
        result.state,
        result.attempt,
        result.nextAttemptAt,
        result.statusCode,
        result.error,
        result.finishedAt,
        result.deliveryId,
      ),
  ]);
}

/** Gives up on a delivery without an attempt (its webhook is disabled, or its message dead-lettered). */
export async function markDeliveryDead(db: D1Database, id: string, reason: string, now: string): Promise<boolean> {
  const result = await db
    .prepare(
      `UPDATE deliveries SET state = 'dead', next_attempt_at = NULL, last_error = ?, updated_at = ?
       WHERE id = ? AND state IN ('pending', 'failed')`,
    )
    .bind(reason, now, id)
    .run();
  return result.meta.changes > 0;
}

/** A webhook was disabled: its deliveries still waiting become dead at once (listed, redeliverable). */
export async function markWebhookDeliveriesDead(
  db: D1Database,
  webhookId: string,
  reason: string,
  now: string,
): Promise<number> {
  const result = await db
    .prepare(
      `UPDATE deliveries SET state = 'dead', next_attempt_at = NULL, last_error = ?, updated_at = ?
       WHERE webhook_id = ? AND state IN ('pending', 'failed')`,
    )
    .bind(reason, now, webhookId)
    .run();
  return result.meta.changes;
}

/**
 * Takes a redelivery asked for over the API, at most once per window: the delivery is due now
 * again, unless a redelivery was already asked for since `windowStart` or the delivery moved
 * on since the caller read it (`attempts`). One conditional UPDATE, so of parallel requests
 * exactly one gets true and sends it.
 */
export async function takeRedelivery(
  db: D1Database,
  id: string,
  attempts: number,
  now: string,
  windowStart: string,
): Promise<boolean> {
  const taken = await db
    .prepare(
      `UPDATE deliveries SET state = 'pending', next_attempt_at = ?3, updated_at = ?3, redelivery_requested_at = ?3
       WHERE id = ?1 AND attempts = ?2 AND (redelivery_requested_at IS NULL OR redelivery_requested_at < ?4)
       RETURNING id`,
    )
    .bind(id, attempts, now, windowStart)
    .first<{ id: string }>();
  return taken !== null;
}

/**
 * Deliveries that should have been attempted long ago but were not: their queue message was
 * never sent (a crash after the insert) or was lost. Their due time moves to `now`, so the next
 * sweep leaves them alone while the new message is on its way.
 */
export async function takeStalledDeliveries(
  db: D1Database,
  dueBefore: string,
  now: string,
  limit: number,
): Promise<Array<{ id: string; attempts: number }>> {
  const { results } = await db
    .prepare(
      `UPDATE deliveries SET next_attempt_at = ?, updated_at = ?
       WHERE id IN (
         SELECT id FROM deliveries WHERE state IN ('pending', 'failed') AND next_attempt_at < ?
         ORDER BY next_attempt_at LIMIT ?)
       RETURNING id, attempts`,
    )
    .bind(now, now, dueBefore, limit)
    .all<{ id: string; attempts: number }>();
  return results;
}

export interface DeliveryJson {
  id: string;
  webhook_id: string;
  event_id: string;
  event_type: AlertEventType;
  /** The webhook-id header: the same on every attempt. */
  message_id: string;
  state: DeliveryState;
  attempt_count: number;
  next_attempt_at: string | null;
  last_status_code: number | null;
  last_error: string | null;
  created_at: string;
  updated_at: string;
  attempts: Array<{
    attempt: number;
    attempted_at: string;
    finished_at: string | null;
    status_code: number | null;
    latency_ms: number | null;
    error: string | null;
    next_retry_at: string | null;
    response_excerpt: string | null;
  }>;
}

export function deliveryJson(row: DeliveryRow, attempts: AttemptRow[]): DeliveryJson {
  return {
    id: row.id,
    webhook_id: row.webhook_id,
    event_id: row.event_id,
    event_type: row.event_type,
    message_id: row.message_id,
    state: row.state,
    attempt_count: row.attempts,
    next_attempt_at: row.next_attempt_at,
    last_status_code: row.last_status_code,
    last_error: row.last_error,
    created_at: row.created_at,
    updated_at: row.updated_at,
    attempts: attempts.map(({ delivery_id: _, ...attempt }) => attempt),
  };
}

// D1 allows 100 bound parameters per statement.
const MAX_IDS_PER_QUERY = 90;

async function attemptsOf(db: D1Database, ids: string[]): Promise<Map<string, AttemptRow[]>> {
  const byDelivery = new Map<string, AttemptRow[]>();
  for (let i = 0; i < ids.length; i += MAX_IDS_PER_QUERY) {
    const chunk = ids.slice(i, i + MAX_IDS_PER_QUERY);
    const { results } = await db
      .prepare(
        `SELECT delivery_id, attempt, attempted_at, finished_at, status_code, latency_ms, error, next_retry_at,
           response_excerpt
         FROM delivery_attempts WHERE delivery_id IN (${chunk.map(() => "?").join(",")}) ORDER BY attempt`,
      )
      .bind(...chunk)
      .all<AttemptRow>();
    for (const row of results) {
      const list = byDelivery.get(row.delivery_id) ?? [];
      list.push(row);
      byDelivery.set(row.delivery_id, list);
    }
  }
  return byDelivery;
}

export async function getDeliveryJson(db: D1Database, id: string): Promise<DeliveryJson | null> {
  const row = await getDelivery(db, id);
  if (!row) return null;
  const attempts = await attemptsOf(db, [id]);
  return deliveryJson(row, attempts.get(id) ?? []);
}

export interface DeliveryPage {
  deliveries: DeliveryJson[];
  next_cursor: string | null;
}

/** Newest first, keyset-paginated on (created_at, id); `state` filters, e.g. to the dead ones. */
export async function listDeliveries(
  db: D1Database,
  webhookId: string,
  options: { limit: number; state?: DeliveryState; cursor?: { createdAt: string; id: string } },
): Promise<DeliveryPage> {
  const where = ["webhook_id = ?"];
  const params: unknown[] = [webhookId];
  if (options.state) {
    where.push("state = ?");
    params.push(options.state);
  }
  if (options.cursor) {
    where.push("(created_at < ? OR (created_at = ? AND id < ?))");
    params.push(options.cursor.createdAt, options.cursor.createdAt, options.cursor.id);
  }
  const { results } = await db
    .prepare(`SELECT * FROM deliveries WHERE ${where.join(" AND ")} ORDER BY created_at DESC, id DESC LIMIT ?`)
    .bind(...params, options.limit + 1)
    .all<DeliveryRow>();
  const page = results.slice(0, options.limit);
  const attempts = await attemptsOf(
    db,
    page.map((r) => r.id),
  );
  const last = page[page.length - 1];
  return {
    deliveries: page.map((row) => deliveryJson(row, attempts.get(row.id) ?? [])),
    next_cursor: results.length > options.limit && last ? encodeCursor(last.created_at, last.id) : null,
  };
}

/**
 * Retention: deletes deliveries that reached a final state (succeeded or dead) and were
 * created before `cutoff`, with their attempts, at most `limit`. Pending and retrying ones stay.
 */
export async function deleteFinishedDeliveriesBefore(db: D1Database, cutoff: string, limit = 1_000): Promise<number> {
  const result = await db
    .prepare(
      `DELETE FROM deliveries WHERE id IN (
         SELECT id FROM deliveries WHERE state IN ('succeeded', 'dead') AND created_at < ?1 LIMIT ?2)`,
    )
    .bind(cutoff, limit)
    .run();
  return result.meta.changes ?? 0;
}
