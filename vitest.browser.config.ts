import { defineConfig } from "vitest/config";

// Browser tests run in Node: they start `wrangler dev` and drive Debian's chromium with
// playwright-core (`npm run test:browser`). The workerd suite (vitest.config.ts) skips them.
export default defineConfig({
  test: {
    include: ["test/browser/**/*.test.ts"],
    environment: "node",
    testTimeout: 240_000,
    hookTimeout: 180_000,
    fileParallelism: false,
  },
});
