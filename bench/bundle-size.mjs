#!/usr/bin/env node
// Worker bundle size, as `wrangler deploy` would upload it, raw and gzipped (goal ≤ 300 KB gzipped).
import { execFileSync } from "node:child_process";
import { mkdtempSync, readdirSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { gzipSync } from "node:zlib";

const outdir = mkdtempSync(join(tmpdir(), "storywatch-bundle-"));
try {
  execFileSync("npx", ["wrangler", "deploy", "--dry-run", "--outdir", outdir], {
    stdio: ["ignore", "ignore", "inherit"],
    env: { ...process.env, WRANGLER_SEND_METRICS: "false", CLOUDFLARE_CF_FETCH_ENABLED: "false" },
  });
  let raw = 0;
  let gzipped = 0;
  for (const file of readdirSync(outdir).filter((f) => f.endsWith(".js"))) {
    const bytes = readFileSync(join(outdir, file));
    raw += bytes.length;
    gzipped += gzipSync(bytes, { level: 9 }).length;
  }
  const kb = (n) => `${(n / 1024).toFixed(1)} KB`;
  console.log(
    `| Worker bundle | raw ${kb(raw)} | gzipped ${kb(gzipped)} | goal ≤ 300 KB gzipped: ${gzipped <= 300 * 1024 ? "ok" : "OVER"} |`,
  );
} finally {
  rmSync(outdir, { recursive: true, force: true });
}
