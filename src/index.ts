import { consumeDeadDeliveries, consumeDeliveries } from "./alerts/deliver";
import { sweepStalledDeliveries } from "./alerts/enqueue";
import { createApp } from "./api/app";
import { getConfig } from "./config";

export { StorylineDetector } from "./detect/storyline-object";

const app = createApp();

export default {
  fetch: app.fetch,

  async scheduled(_controller, env, ctx) {
    getConfig(env);
    // Deliveries whose queue message was lost (a crash between insert and send) go out again.
    ctx.waitUntil(sweepStalledDeliveries(env));
  },

  async queue(batch, env, _ctx) {
    getConfig(env);
    switch (batch.queue) {
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
