/**
 * Matching benchmark: 100 storyline queries against 1,000 items (title + ~300-character
 * summary), as in the matching issue's budget (≤ 15 ms CPU). Runs inside workerd through the
 * Vitest Workers integration: `npx vitest run --config bench/match.vitest.config.ts`.
 * Data are generated from a fixed seed, so every run measures the same work.
 */
import { expect, it } from "vitest";
import { compileMatcher, type PreparedText, prepareItem } from "../src/storylines/matcher";
import { compileQuery } from "../src/storylines/query";

function seeded(seed: number): () => number {
  // mulberry32: small, fast, deterministic.
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const NAMES = [
  "Putin",
  "Trump",
  "Zelensky",
  "Zelenskyy",
  "Xi",
  "Modi",
  "Macron",
  "Scholz",
  "Erdoğan",
  "Netanyahu",
  "Starmer",
  "Meloni",
  "Lula",
  "Ramaphosa",
  "Kishida",
  "Albanese",
  "Sánchez",
  "Tusk",
  "Orbán",
  "Guterres",
];
const PLACES = [
  "Alaska",
  "Kyiv",
  "Moscow",
  "Beijing",
  "Istanbul",
  "Geneva",
  "Brussels",
  "Gaza",
  "Riyadh",
  "Doha",
  "Washington",
  "Paris",
  "Berlin",
  "Warsaw",
  "Ankara",
  "Cairo",
  "Tehran",
  "Delhi",
  "Tokyo",
  "Türkiye",
];
const TOPICS = [
  "summit",
  "talks",
  "ceasefire",
  "truce",
  "deal",
  "agreement",
  "sanctions",
  "tariffs",
  "election",
  "minerals",
  "negotiations",
  "meeting",
  "visit",
  "treaty",
  "accord",
  "de-escalation",
  "offensive",
  "referendum",
  "budget",
  "protests",
];
const FILLER =
  "the a of to in and on for with says said will would after before over new amid as could officials week report government minister president leaders country talks plan move warns calls early latest".split(
    " ",
  );

function pick<T>(random: () => number, list: readonly T[]): T {
  return list[Math.floor(random() * list.length)] as T;
}

function sentence(random: () => number, words: number): string {
  const out: string[] = [];
  for (let i = 0; i < words; i++) {
    const r = random();
    out.push(
      r < 0.1
        ? pick(random, NAMES)
        : r < 0.17
          ? pick(random, PLACES)
          : r < 0.25
            ? pick(random, TOPICS)
            : pick(random, FILLER),
    );
  }
  return `${out.join(" ")}.`;
}

export function makeItems(count: number, seed = 1): Array<{ title: string; summary: string }> {
  const random = seeded(seed);
  return Array.from({ length: count }, () => {
    let summary = "";
    while (summary.length < 300) summary += `${sentence(random, 12)} `;
    return { title: sentence(random, 9), summary: summary.slice(0, 300) };
  });
}

export function makeQueries(count: number, seed = 2): string[] {
  const random = seeded(seed);
  const shapes = [
    () =>
      `(${pick(random, NAMES)} OR ${pick(random, NAMES)}) AND ${pick(random, NAMES)} AND (${pick(random, TOPICS)} OR meet* OR "${pick(random, FILLER)} ${pick(random, TOPICS)}")`,
    () => `${pick(random, NAMES)} NEAR/5 ${pick(random, PLACES)}`,
    () =>
      `title:${pick(random, TOPICS)} AND (${pick(random, PLACES)} OR ${pick(random, PLACES)}) NOT ${pick(random, NAMES)}`,
    () =>
      `"${pick(random, TOPICS)} ${pick(random, FILLER)}" OR (${pick(random, NAMES).slice(0, 4)}* AND ${pick(random, PLACES)})`,
    () =>
      `(${pick(random, PLACES)} OR ${pick(random, PLACES)} OR ${pick(random, PLACES)}) (${pick(random, TOPICS)} OR ${pick(random, TOPICS)}) NOT summary:${pick(random, FILLER)}`,
  ];
  return Array.from({ length: count }, (_, i) => (shapes[i % shapes.length] as () => string)());
}

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
