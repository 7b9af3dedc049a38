/**
 * The Worker: thin wiring of the flow (README, "Design notes"):
 *   cron → src/feeds (scheduler → queue "polls" → poller) → src/storylines (match)
 *   → queue "detections" → src/detect (Storyline object) → queue "deliveries" → src/alerts
 * with src/api beside them and src/store below.
 */
import { consumeDeadDeliveries, consumeDeliveries, sweepStalledDeliveries } from "./alerts";
import { createApp } from "./api";
import { getConfig } from "./config";
import { handleDetectionBatch, handleDetectionDeadLetters } from "./detect";
import {
  handlePollBatch,
  handlePollDeadLetters,
  pruneHistory,
  pruneOldItems,
  runTick,
  sweepStalledRuns,
} from "./feeds";
import { syncConfiguredStorylines } from "./storylines";

export { StorylineDetector } from "./detect";
export { FeedScheduler } from "./feeds/scheduler-object";

const app = createApp();

export default {
  fetch: app.fetch,

  async scheduled(controller, env, ctx) {
    getConfig(env);
    // Storylines and feeds declared in storylines.json first, so a newly declared feed is polled this tick.
    await syncConfiguredStorylines(env, new Date(controller.scheduledTime)).catch((error: unknown) =>
      console.error("storylines.json sync failed:", error),
    );
    // Deliveries whose queue message was lost (a crash between insert and send) go out again.
    ctx.waitUntil(sweepStalledDeliveries(env));
    // Runs that stopped making progress (a crashed poller, lost messages) end as failed, and
    // free their feeds, before this tick leases the due ones.
    await sweepStalledRuns(env, new Date(controller.scheduledTime)).catch((error: unknown) =>
      console.error("stalled-run sweep failed:", error),
    );
    // Due feeds go out on the polls queue; old item text is pruned (identity rows stay), and
    // old runs and finished deliveries are deleted.
    ctx.waitUntil(runTick(env, "cron", new Date(controller.scheduledTime)));
    ctx.waitUntil(pruneOldItems(env));
    ctx.waitUntil(pruneHistory(env));
  },

  async queue(batch, env, _ctx) {
    getConfig(env);
    switch (batch.queue) {
      case "polls":
        await handlePollBatch(batch, env);
        break;
      case "polls-dlq":
        await handlePollDeadLetters(batch, env);
        break;
      case "detections":
        await handleDetectionBatch(batch, env);
        break;
      case "detections-dlq":
        await handleDetectionDeadLetters(batch, env);
        break;
      case "deliveries":
        await consumeDeliveries(batch, env);
        break;
      case "deliveries-dlq":
        await consumeDeadDeliveries(batch, env);
        break;
      default:
        // Unknown queue: leave the messages for a consumer that knows them (they retry, then dead-letter).
        console.error(`no consumer for queue "${batch.queue}"`);
        batch.retryAll();
    }
  },
} satisfies ExportedHandler<Env>;
