import { defineConfig } from "vitest/config";

// Tests that need Node processes (the replay evaluation starts `wrangler dev`, a feed
// server and a webhook receiver) run here, outside workerd: `npm test` runs both configs.
export default defineConfig({
  test: {
    include: ["test/node/**/*.test.ts"],
    environment: "node",
    testTimeout: 600_000,
    hookTimeout: 180_000,
    fileParallelism: false,
  },
});
