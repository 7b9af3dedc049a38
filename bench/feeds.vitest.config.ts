import { defineConfig } from "vitest/config";
import base from "../vitest.config";

// Feed parsing benchmark: runs in workerd like the tests, only on request (not in `npm test`).
export default defineConfig({
  ...base,
  test: { ...base.test, include: ["bench/feeds*.bench.ts"], testTimeout: 300_000 },
});
