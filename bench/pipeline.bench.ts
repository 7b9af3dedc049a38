/**
 * The whole per-item pipeline in one run, inside workerd, CPU per 1,000 items per stage:
 * parse → normalise → match → (for matched items only) extract and detect (cluster + status),
 * with feedsmith and fast-xml-parser parsing the same feed beside ours. The items are the
 * dev corpus's articles (real news shapes), cycled to 1,000 with distinct guids; 50
 * storyline queries (the corpus's own plus generated ones) are matched against them.
 *
 *   npm run bench
 */
import { XMLParser } from "fast-xml-parser";
import { parseFeed as feedsmithParse } from "feedsmith";
import { expect, it } from "vitest";
import type { StoredItem, StorylineRecord } from "../src/contracts";
import { detect } from "../src/detect/detector";
import { extract, readingContext } from "../src/detect/extract";
import { initialDetectorState } from "../src/detect/types";
import { normaliseItems } from "../src/feeds/normalise";
import { parseFeed } from "../src/feeds/parse";
import { compileMatcher, prepareItem } from "../src/storylines/matcher";
import corpus from "../test/fixtures/corpora/corpus-dev.json";
import { type BenchItem, rssDocument } from "./feeds.data";
import { makeQueries } from "./match.data";

const ITEMS = 1000;

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)] ?? Number.NaN;
}

/**
 * Median ms per call over 7 timed rounds of 5 calls, after a warm-up. The timer moves with the
 * wall clock in coarse steps, so each round runs several calls; other load can only add time.
 */
async function time(fn: () => unknown | Promise<unknown>): Promise<number> {
  const inner = 5;
  await fn();
  const samples: number[] = [];
  for (let round = 0; round < 7; round++) {
    const t0 = performance.now();
    for (let i = 0; i < inner; i++) await fn();
    samples.push((performance.now() - t0) / inner);
  }
  return median(samples);
}

type CorpusItem = { id: string; feed: string; title: string; summary: string; content?: string; published: string };
const corpusItems = (corpus.ticks as Array<{ items: CorpusItem[] }>).flatMap((tick) => tick.items);

const benchItems: BenchItem[] = Array.from({ length: ITEMS }, (_, i) => {
  const source = corpusItems[i % corpusItems.length] as CorpusItem;
  return {
    guid: `https://wire.example/world/${source.id}-${i}`,
    title: source.title,
    summary: source.summary,
    content: source.content ?? "",
    published: new Date(source.published),
  };
});
const feedXml = rssDocument(benchItems);
const fastXml = new XMLParser({ ignoreAttributes: false, processEntities: false, htmlEntities: false });

const storylineQueries = [...corpus.storylines.map((s) => s.query), ...makeQueries(50 - corpus.storylines.length)];

function storylineRecord(s: (typeof corpus.storylines)[number]): StorylineRecord {
  return {
    id: s.id,
    title: s.title,
    kind: s.kind as StorylineRecord["kind"],
    query: s.query,
    feeds: null,
    alertOn: ["status_change", "new_fact"],
    aliases: null,
    source: "config",
    active: true,
    status: null,
    facts: {},
    createdAt: "2025-01-01T00:00:00.000Z",
    updatedAt: "2025-01-01T00:00:00.000Z",
  };
}

it("CPU per 1,000 items for each stage, beside feedsmith and fast-xml-parser", async () => {
  const now = new Date("2025-09-01T00:00:00Z");
  const parsed = parseFeed(feedXml);
  expect(parsed.items).toHaveLength(ITEMS);
  const normalised = await normaliseItems(parsed, now);
  const matcher = compileMatcher(storylineQueries.map((query, key) => ({ key, query })));

  // Which items each corpus storyline matches (the only ones extraction and detection see).
  const matchedBy = new Map<number, StoredItem[]>();
  normalised.forEach((item, index) => {
    for (const key of matcher.match(prepareItem(item))) {
      if (key >= corpus.storylines.length) continue;
      const list = matchedBy.get(key) ?? [];
      list.push({
        id: `itm_${index}`,
        feedId: `feed_${index % 5}`,
        feedTitle: `Outlet ${index % 5}`,
        url: item.url,
        title: item.title,
        summary: item.summary,
        content: item.content,
        author: null,
        publishedAt: item.publishedAt,
        firstSeenAt: item.publishedAt,
        baseline: false,
        updated: false,
      });
      matchedBy.set(key, list);
    }
  });
  const matchedCount = [...matchedBy.values()].reduce((n, list) => n + list.length, 0);
  expect(matchedCount).toBeGreaterThan(0);

  const contexts = corpus.storylines.map((s) =>
    readingContext({ title: s.title, query: s.query, kind: s.kind as StorylineRecord["kind"], aliases: null }),
  );

  const parseMs = await time(() => parseFeed(feedXml));
  const feedsmithMs = await time(() => feedsmithParse(feedXml));
  const fastXmlMs = await time(() => fastXml.parse(feedXml));
  const normaliseMs = await time(() => normaliseItems(parsed, now));
  const matchMs = await time(() => {
    for (const item of normalised) matcher.match(prepareItem(item));
  });
  const extractMs = await time(() => {
    for (const [key, list] of matchedBy) for (const item of list) extract(item, contexts[key] as (typeof contexts)[0]);
  });
  const detectMs = await time(() => {
    for (const [key, list] of matchedBy) {
      const storyline = storylineRecord(corpus.storylines[key] as (typeof corpus.storylines)[number]);
      detect({ storyline, state: initialDetectorState(), items: list, now: now.toISOString() });
    }
  });

  const perItem = (ms: number, n: number) => (ms / n) * 1000;
  const rows: Array<[string, number, string]> = [
    ["parse (ours)", parseMs, ""],
    ["  parse: feedsmith, same feed", feedsmithMs, `ours is ${(feedsmithMs / parseMs).toFixed(2)}× faster`],
    ["  parse: fast-xml-parser (objects only)", fastXmlMs, `ours is ${(fastXmlMs / parseMs).toFixed(2)}× faster`],
    ["normalise (identity, dates, hashes)", normaliseMs, ""],
    [`match (${storylineQueries.length} queries)`, matchMs, ""],
    ["parse + normalise + match", parseMs + normaliseMs + matchMs, "goal ≤ 50 ms"],
  ];
  const lines = [
    `pipeline in workerd: ${ITEMS} items (${(feedXml.length / 1e6).toFixed(2)} MB RSS), ${storylineQueries.length} queries, ${matchedCount} (item, storyline) matches; median of 7`,
    `| ${"stage".padEnd(42)} | ms per 1,000 items | note |`,
    `| ${"-".repeat(42)} | -----------------: | ---- |`,
    ...rows.map(([name, ms, note]) => `| ${name.padEnd(42)} | ${ms.toFixed(2).padStart(18)} | ${note} |`),
    `| ${"extract (matched items only)".padEnd(42)} | ${perItem(extractMs, matchedCount).toFixed(2).padStart(18)} | per 1,000 matched; goal ≤ 1,000 (1 ms/item) |`,
    `| ${"detect: cluster + extract + status".padEnd(42)} | ${perItem(detectMs, matchedCount).toFixed(2).padStart(18)} | per 1,000 matched |`,
  ];
  console.log(`\n${lines.join("\n")}\n`);
});
