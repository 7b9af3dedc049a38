import { defineConfig } from "vitest/config";
import base from "../vitest.config.ts";

// Benchmarks run in workerd like the tests, but only on request (`npm run bench`), never in `npm test`:
// they print figures side by side and assert only that the work was done, never a timing.
export default defineConfig({
  ...base,
  test: {
    ...base.test,
    include: ["bench/*.bench.ts"],
    // The NLP comparison has its own command and setup: `npm run bench:nlp`.
    exclude: ["bench/nlp.bench.ts"],
    fileParallelism: false,
    testTimeout: 300_000,
  },
});
