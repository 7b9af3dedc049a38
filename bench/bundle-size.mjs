#!/usr/bin/env node
// Worker bundle size, as `wrangler deploy` would upload it, raw and gzipped, beside the figure
// before the bundle was trimmed (295 KB gzipped, 1.41 MB raw), with the largest modules in it
// (grouped by package, and by folder for our own code). Figures only: nothing is asserted.
import { execFileSync } from "node:child_process";
import { mkdtempSync, readdirSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { gzipSync } from "node:zlib";

const BEFORE = { raw: 1.41 * 1024 * 1024, gzipped: 295 * 1024 };
const SHOWN = 15;

const outdir = mkdtempSync(join(tmpdir(), "storywatch-bundle-"));
try {
  const metafile = join(outdir, "meta.json");
  execFileSync("npx", ["wrangler", "deploy", "--dry-run", "--outdir", outdir, "--metafile", metafile], {
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
  console.log("| Worker bundle | raw | gzipped |");
  console.log("| --- | --- | --- |");
  console.log(
    `| before (zod's every locale, two entities; recorded, not measured in this run) | ${kb(BEFORE.raw)} | ${kb(BEFORE.gzipped)} |`,
  );
  console.log(`| now | ${kb(raw)} | ${kb(gzipped)} |`);
  console.log(`goal ≤ 300 KB gzipped: ${gzipped <= 300 * 1024 ? "met" : "OVER"}`);

  // Bytes each input contributes to the output (esbuild's metafile), grouped.
  const meta = JSON.parse(readFileSync(metafile, "utf8"));
  const groups = new Map();
  for (const output of Object.values(meta.outputs)) {
    for (const [path, input] of Object.entries(output.inputs ?? {})) {
      const pkg = /node_modules\/((?:@[^/]+\/)?[^/]+)(\/.*)?$/.exec(path);
      let group;
      if (pkg) {
        // zod and entities by folder: the locales and a second entities are what was trimmed.
        const inner = (pkg[2] ?? "").split("/").slice(1, -1).slice(0, 2).join("/");
        group = ["zod", "entities"].includes(pkg[1]) && inner ? `${pkg[1]}/${inner}` : pkg[1];
        if (path.split("node_modules").length > 2) group += " (nested copy)";
      } else {
        group = path.split("/").slice(0, 3).join("/");
      }
      groups.set(group, (groups.get(group) ?? 0) + input.bytesInOutput);
    }
  }
  // What was trimmed stays out: zod's other languages, and a second copy of entities.
  const inputs = Object.values(meta.outputs).flatMap((output) => Object.keys(output.inputs ?? {}));
  const locales = inputs.filter((path) => /zod\/v4\/locales\/(?!en\.)/.test(path));
  const entitiesCopies = new Set(inputs.flatMap((path) => /^(.*node_modules\/entities)\//.exec(path)?.[1] ?? []));
  console.log(`zod locales bundled besides English: ${locales.length}; copies of entities: ${entitiesCopies.size}`);
  if (locales.length > 0 || entitiesCopies.size > 1) process.exitCode = 1;

  console.log(`\nlargest modules (raw bytes in the bundle; top ${SHOWN} of ${groups.size}):`);
  for (const [group, bytes] of [...groups].sort((a, b) => b[1] - a[1]).slice(0, SHOWN)) {
    console.log(`  ${kb(bytes).padStart(9)}  ${group}`);
  }
} finally {
  rmSync(outdir, { recursive: true, force: true });
}
