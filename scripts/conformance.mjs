// Usage: npm run conformance -- <cases.json>   (e.g. ../shared/conformance/feedparser-cases.json)
import { spawnSync } from "node:child_process";
import { resolve } from "node:path";

const casesPath = process.argv[2];
if (!casesPath) {
  console.error("usage: npm run conformance -- <cases.json>");
  process.exit(2);
}
const result = spawnSync("npx", ["vitest", "run", "--config", "scripts/conformance.config.ts", "--reporter=dot"], {
  stdio: "inherit",
  env: {
    ...process.env,
    CONFORMANCE_CASES: resolve(casesPath),
    WRANGLER_SEND_METRICS: "false",
    CLOUDFLARE_CF_FETCH_ENABLED: "false",
  },
});
process.exit(result.status ?? 1);
