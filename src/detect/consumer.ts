/**
 * The `detections` queue consumer: each message names one storyline and a batch of stored
 * item ids; the storyline's Durable Object reads them and applies what it decides. A failure
 * here is the storyline's own (its last_error and failing_since), retried and at last
 * dead-lettered on its own message: the feed that brought the items stays healthy and every
 * other storyline goes on.
 */
import { getConfig } from "../config";
import { type DetectionMessage, type IngestResult, isDetectionMessage } from "../contracts";
import { itemsForDetection } from "../store/items";
import { finishDetection } from "../store/runs";
import {
  DETECTION_FAILED,
  getStorylineRecord,
  recordDetectionGivenUp,
  recordDetectionSuccess,
  recordStorylineFailure,
} from "../store/storylines";

/** Backoff for a failed detection when no fixed delay is configured: 30 s doubling, at most 10 minutes. */
export function detectionRetryDelay(attempts: number, fixed: number | null): number {
  if (fixed !== null) return fixed;
  return Math.min(600, 30 * 2 ** Math.max(0, attempts - 1));
}

/** Runs one message's items through its storyline's detector. Throws what the detector threw. */
export async function detectBatch(env: Env, message: DetectionMessage, now: Date = new Date()): Promise<IngestResult> {
  const none: IngestResult = { developments: 0, alerts: 0 };
  const storyline = await getStorylineRecord(env.DB, message.storylineId);
  // Deleted, paused, or replaced by a new storyline of the same id since the items matched: stale.
  const current = storyline?.active && storyline.createdAt === message.storylineCreatedAt ? storyline : null;
  let result = none;
  if (current) {
    const items = (await itemsForDetection(env.DB, message.itemIds)).map((item) => ({
      ...item,
      feedTitle: message.feedTitle ?? item.feedTitle,
      // An item first seen before the storyline existed is old news for it: state is built, nothing alerted.
      baseline: item.baseline || item.firstSeenAt < current.createdAt,
      revisedAt: message.revisedAt?.[item.id] ?? null,
    }));
    if (items.length > 0) {
      const stub = env.STORYLINES.get(env.STORYLINES.idFromName(current.id));
      result = await stub.ingest({ storyline: current, items, runId: message.runId });
    }
    await recordDetectionSuccess(env.DB, current.id);
  }
  if (message.runId) {
    await finishDetection(env.DB, {
      runId: message.runId,
      key: message.key,
      storylineId: message.storylineId,
      state: "done",
      developments: result.developments,
      now: now.toISOString(),
    });
  }
  return result;
}

const describe = (error: unknown) => (error instanceof Error ? error.message : String(error));

/**
 * The `detections` consumer. One storyline's messages run in order (its detector is
 * serialised anyway); different storylines run side by side, and one failing never holds
 * up another: each message is acked or retried on its own.
 */
export async function handleDetectionBatch(batch: MessageBatch<unknown>, env: Env): Promise<void> {
  const config = getConfig(env);
  const byStoryline = new Map<string, Array<Message<unknown>>>();
  for (const message of batch.messages) {
    if (!isDetectionMessage(message.body)) {
      console.error("detections: dropping a message that is not a detection", message.body);
      message.ack();
      continue;
    }
    const list = byStoryline.get(message.body.storylineId) ?? [];
    list.push(message);
    byStoryline.set(message.body.storylineId, list);
  }
  await Promise.all(
    [...byStoryline].map(async ([storylineId, messages]) => {
      for (const message of messages) {
        const body = message.body as DetectionMessage;
        try {
          await detectBatch(env, body);
          message.ack();
        } catch (error) {
          console.error(`detections: storyline ${storylineId} failed on ${body.itemIds.length} items`, error);
          const reason = `${DETECTION_FAILED} on ${body.itemIds.length} items: ${describe(error)}`;
          await recordStorylineFailure(env.DB, storylineId, reason, new Date().toISOString()).catch(
            (recordError: unknown) => console.error(`detections: could not record the failure`, recordError),
          );
          message.retry({ delaySeconds: detectionRetryDelay(message.attempts, config.detectionRetryDelaySeconds) });
        }
      }
    }),
  );
}

/**
 * The `detections-dlq` consumer: a batch that exhausted its retries is given up. The
 * storyline says so in its health, and the run it belongs to can complete.
 */
export async function handleDetectionDeadLetters(
  batch: MessageBatch<unknown>,
  env: Env,
  now: Date = new Date(),
): Promise<void> {
  for (const message of batch.messages) {
    if (isDetectionMessage(message.body)) {
      const { runId, key, storylineId, itemIds } = message.body;
      const nowIso = now.toISOString();
      console.error(`detections: storyline ${storylineId} gave up ${itemIds.length} items after retries`);
      await recordDetectionGivenUp(
        env.DB,
        storylineId,
        `${DETECTION_FAILED} on ${itemIds.length} item${itemIds.length === 1 ? "" : "s"} after every retry; they were given up`,
        nowIso,
      );
      if (runId)
        await finishDetection(env.DB, { runId, key, storylineId, state: "failed", developments: 0, now: nowIso });
    }
    message.ack();
  }
}
