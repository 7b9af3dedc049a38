#!/usr/bin/env node
/**
 * CPU cost of detection, per matched item: bundles src/detect with esbuild (already in the
 * tree through wrangler), replays every labelled corpus in test/fixtures/corpora and times
 * extraction alone and the whole detect() call (which includes extraction). Prints a table and
 * the goal (extraction ≤ 1 ms per matched item); a benchmark prints figures, it never fails on a time.
 *
 *   npm run bench            # or: node bench/detect.bench.mjs [rounds]
 */
import { mkdtempSync, readdirSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";
import { build } from "esbuild";

const root = fileURLToPath(new URL("..", import.meta.url));
const rounds = Number(process.argv[2] ?? 20);
const BUDGET_MS = 1;

const entry = `
export { extract, readingContext } from "./src/detect/extract/index.ts";
export { compileAnchors, matchesQuery } from "./src/detect/anchors.ts";
export { detect } from "./src/detect/detector.ts";
export { initialDetectorState } from "./src/detect/types.ts";
export { fold } from "./src/detect/text.ts";
`;
const dir = mkdtempSync(join(tmpdir(), "detect-bench-"));
const outfile = join(dir, "detect.mjs");
await build({
  stdin: { contents: entry, resolveDir: root, loader: "ts" },
  bundle: true,
  format: "esm",
  platform: "neutral",
  outfile,
  logLevel: "warning",
});
const lib = await import(pathToFileURL(outfile).href);
rmSync(dir, { recursive: true, force: true });

const corpusDir = join(root, "test/fixtures/corpora");
const rows = [];
for (const file of readdirSync(corpusDir).filter((f) => f.endsWith(".json"))) {
  const corpus = JSON.parse(readFileSync(join(corpusDir, file), "utf8"));
  for (const s of corpus.storylines) {
    const anchors = lib.compileAnchors(s.query);
    const ctx = lib.readingContext({ ...s, aliases: s.aliases ?? null });
    const storyline = {
      id: s.id,
      title: s.title,
      kind: s.kind,
      query: s.query,
      feeds: null,
      alertOn: ["status_change", "new_fact"],
      aliases: null,
      source: "config",
      active: true,
      status: null,
      facts: {},
      createdAt: corpus.ticks[0].at,
      updatedAt: corpus.ticks[0].at,
    };
    const ticks = corpus.ticks.map((tick, t) =>
      tick.items
        .filter((i) => lib.matchesQuery(anchors, `${i.title} ${i.summary} ${i.content ?? ""}`))
        .map((i) => ({
          id: i.updates ?? i.id,
          feedId: i.feed,
          feedTitle: i.feed,
          url: i.link ?? null,
          title: i.title,
          summary: i.summary,
          content: i.content ?? "",
          author: null,
          publishedAt: i.published,
          firstSeenAt: tick.at,
          baseline: t === 0,
          updated: !!i.updates,
        })),
    );
    const items = ticks.flat();
    if (items.length === 0) continue;
    // Warm up, then time.
    for (const item of items) lib.extract(item, ctx);
    let t0 = performance.now();
    for (let r = 0; r < rounds; r++) for (const item of items) lib.extract(item, ctx);
    const extractMs = (performance.now() - t0) / (rounds * items.length);
    t0 = performance.now();
    for (let r = 0; r < rounds; r++) {
      let state = lib.initialDetectorState();
      ticks.forEach((batch, t) => {
        if (batch.length) state = lib.detect({ storyline, state, items: batch, now: corpus.ticks[t].at }).state;
      });
    }
    const detectMs = (performance.now() - t0) / (rounds * items.length);
    rows.push({ corpus: corpus.name, storyline: s.id, items: items.length, extractMs, detectMs });
  }
}

const pad = (v, n) => String(v).padEnd(n);
const num = (v) => v.toFixed(3).padStart(10);
console.log(
  `${pad("corpus", 36)}${pad("storyline", 30)}${"items".padStart(6)}${"extract ms".padStart(12)}${"detect ms".padStart(11)}`,
);
for (const r of rows)
  console.log(
    `${pad(r.corpus, 36)}${pad(r.storyline, 30)}${String(r.items).padStart(6)}${num(r.extractMs)}  ${num(r.detectMs)}`,
  );
const total = rows.reduce((n, r) => n + r.items, 0);
const avgExtract = rows.reduce((n, r) => n + r.extractMs * r.items, 0) / total;
const avgDetect = rows.reduce((n, r) => n + r.detectMs * r.items, 0) / total;
console.log(
  `${pad("all (per matched item, mean)", 66)}${String(total).padStart(6)}${num(avgExtract)}  ${num(avgDetect)}`,
);
console.log(`goal: extraction ≤ ${BUDGET_MS} ms per matched item (detect() includes extraction)`);
