/**
 * Matching benchmark: 100 storyline queries against 1,000 items (title + ~300-character
 * summary), as in the matching issue's budget (≤ 15 ms CPU). Runs inside workerd through the
 * Vitest Workers integration: `npx vitest run --config bench/match.vitest.config.ts`.
 * Data are generated from a fixed seed, so every run measures the same work.
 */
import { expect, it } from "vitest";
import { compileMatcher, type PreparedText, prepareItem } from "../src/storylines/matcher";
import { compileQuery } from "../src/storylines/query";
import { makeItems, makeQueries } from "./match.data";

interface Row {
  step: string;
  ms: number;
}

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)] as number;
}

it("matches 100 queries against 1,000 items within 15 ms", () => {
  const items = makeItems(1000);
  const queries = makeQueries(100);
  const runs = 7;
  const timings: Record<string, number[]> = { compile: [], prepare: [], match: [], total: [] };
  let matches = 0;
  for (let run = 0; run < runs; run++) {
    // A fresh matcher and fresh query texts each run, so no cache from an earlier run helps.
    const texts = queries.map((q) => `${q} OR run${run}x`);
    const t0 = performance.now();
    const matcher = compileMatcher(texts.map((query, key) => ({ key, query: compileQuery(query) })));
    const t1 = performance.now();
    const docs: PreparedText[] = items.map((item) => prepareItem(item));
    const t2 = performance.now();
    matches = 0;
    for (const doc of docs) matches += matcher.match(doc).length;
    const t3 = performance.now();
    timings.compile?.push(t1 - t0);
    timings.prepare?.push(t2 - t1);
    timings.match?.push(t3 - t2);
    timings.total?.push(t3 - t0);
  }
  const rows: Row[] = Object.entries(timings).map(([step, values]) => ({ step, ms: median(values) }));
  const table = [
    `matching: ${queries.length} queries × ${items.length} items, median of ${runs} runs (${matches} matches)`,
    "| step                               | ms     |",
    "| ---------------------------------- | ------ |",
    ...rows.map(
      (row) =>
        `| ${(
          {
            compile: "compile queries into one matcher",
            prepare: "split items into words",
            match: "prefilter + exact evaluation",
            total: "total",
          } as Record<string, string>
        )[row.step]?.padEnd(34)} | ${row.ms.toFixed(2).padStart(6)} |`,
    ),
  ].join("\n");
  console.log(table);
  expect(matches).toBeGreaterThan(0);
  expect(median(timings.total ?? [])).toBeGreaterThan(0);
  expect(median(timings.total ?? [])).toBeLessThanOrEqual(15);
});
