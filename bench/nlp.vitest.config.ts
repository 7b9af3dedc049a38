import { defineConfig } from "vitest/config";
import base from "../vitest.config.ts";

// The NLP benchmark alone (`npm run bench:nlp`), in workerd like the other benchmarks, with the
// bundle sizes measured in Node first and handed to the run.
export default defineConfig({
  ...base,
  test: {
    ...base.test,
    include: ["bench/nlp.bench.ts"],
    globalSetup: ["./bench/nlp.sizes.ts"],
    testTimeout: 300_000,
  },
});
