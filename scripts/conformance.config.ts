import { readFileSync } from "node:fs";
import { resolve } from "node:path";
import { cloudflareTest } from "@cloudflare/vitest-plugin";
import { defineConfig } from "vitest/config";

// `npm run conformance -- <cases.json>`: runs the feed parser over an outside case file inside
// workerd (so charset decoding is the runtime's own). The cases reach the Worker as a binding.
const casesPath = process.env.CONFORMANCE_CASES;
if (!casesPath) throw new Error("set CONFORMANCE_CASES to a cases.json path (npm run conformance -- <cases.json>)");

export default defineConfig({
  plugins: [
    cloudflareTest({
      miniflare: {
        compatibilityDate: "2026-11-01",
        compatibilityFlags: ["nodejs_compat"],
        bindings: { CONFORMANCE_CASES: readFileSync(resolve(casesPath), "utf8") },
      },
    }),
  ],
  test: {
    include: ["scripts/conformance.workerd.ts"],
    testTimeout: 120_000,
  },
});
