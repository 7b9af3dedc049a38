import { defineConfig } from "vitest/config";
import base from "../vitest.config";

// The benchmark runs in workerd like the tests, but only on request (not in `npm test`).
export default defineConfig({ ...base, test: { ...base.test, include: ["bench/match.bench.ts"] } });
