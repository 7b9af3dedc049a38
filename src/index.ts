import { createApp } from "./api/app";
import { getConfig } from "./config";

export { StorylineDetector } from "./detect/storyline-object";

const app = createApp();

export default {
  fetch: app.fetch,

  async scheduled(_controller, env, _ctx) {
    getConfig(env);
  },

  async queue(batch, env, _ctx) {
    getConfig(env);
    switch (batch.queue) {
      default:
        // Unknown queue: leave the messages for a consumer that knows them (they retry, then dead-letter).
        console.error(`no consumer for queue "${batch.queue}"`);
        batch.retryAll();
    }
  },
} satisfies ExportedHandler<Env>;
