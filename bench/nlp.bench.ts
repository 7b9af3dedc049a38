/**
 * Which NLP reading for detection: the hand-written one, compromise (+ compromise-dates),
 * wink-nlp with wink-eng-lite-web-model, or chrono-node for dates. `npm run bench:nlp` prints,
 * in one run inside workerd, per candidate: accuracy per sub-task on the labelled sentences
 * (test/fixtures/nlp/gold.json, see its README), CPU per matched item (title + summary + the
 * body's first four sentences of the fit corpora's matched items), the first call in a fresh
 * isolate, and the gzip bytes each adds (esbuild, measured in Node by bench/nlp.sizes.ts before
 * the run). Figures only: the one assertion is that every candidate read every sentence.
 *
 * The figures of six runs and the decision (no library adopted) are in the README's "Detection"
 * ("Language library: none, by benchmark"), the one place they are kept.
 */
import { expect, inject, it } from "vitest";
import { compileAnchors, matchesQuery } from "../src/detect/anchors";
import { extract, readingContext } from "../src/detect/extract";
import { splitSentences } from "../src/detect/text";
import gold from "../test/fixtures/nlp/gold.json";
import { CANDIDATES, type Candidate, LIBRARY_FLOORS, setupMs, type Tense } from "./nlp.candidates";

interface GoldRow {
  source: string;
  publishedAt: string;
  text: string;
  trigger: string | null;
  lemma: string | null;
  tense: Tense | null;
  modality: string | null;
  negation: "not" | "lexical" | null;
  dateText: string | null;
  date: string | null;
}

const rows: GoldRow[] = (gold.rows as unknown[][]).map(
  (r) => Object.fromEntries(gold.columns.map((c, i) => [c, r[i] ?? null])) as unknown as GoldRow,
);

/**
 * Texts for sentence splitting: consecutive labelled sentences four at a time (stops added to
 * headlines), then the multi-sentence texts of the gold set (abbreviations, initials, quotes).
 */
function paragraphs(from: GoldRow[], withTexts: boolean): Array<{ text: string; sentences: string[] }> {
  const out = withTexts
    ? (gold.texts as Array<[string, string, string[]]>).map(([, text, sentences]) => ({ text, sentences }))
    : [];
  for (let i = 0; i < from.length; i += 4) {
    const sentences = from.slice(i, i + 4).map((r) => (/[.!?]$/.test(r.text) ? r.text : `${r.text}.`));
    out.push({ text: sentences.join(" "), sentences });
  }
  return out;
}

const norm = (s: string) =>
  s
    .replace(/[.,;:!?]+$/, "")
    .replace(/\s+/g, " ")
    .trim()
    .toLowerCase();

interface Score {
  hit: number;
  of: number;
  offered: boolean;
}
const score = (): Score => ({ hit: 0, of: 0, offered: false });

interface Result {
  name: string;
  sentences: Score;
  lemma: Score;
  tense: Score;
  modality: Score;
  negation: Score;
  dateSpan: Score;
  dateValue: Score;
}

function accuracy(c: Candidate, rows: GoldRow[], withTexts: boolean): Result {
  const r: Result = {
    name: c.name,
    sentences: score(),
    lemma: score(),
    tense: score(),
    modality: score(),
    negation: score(),
    dateSpan: score(),
    dateValue: score(),
  };
  for (const p of c.sentences ? paragraphs(rows, withTexts) : []) {
    const got = (c.sentences?.(p.text) ?? []).map(norm);
    r.sentences.offered = true;
    r.sentences.of++;
    if (got.length === p.sentences.length && got.every((s, i) => s === norm(p.sentences[i] as string)))
      r.sentences.hit++;
  }
  for (const row of rows) {
    if (row.trigger && c.trigger) {
      const read = c.trigger(row.text, row.trigger, row.publishedAt);
      r.lemma.of++;
      if (read.lemma !== null) r.lemma.offered = true;
      if (read.lemma === row.lemma) r.lemma.hit++;
      r.negation.offered = true;
      r.negation.of++;
      if (read.negated === (row.negation !== null)) r.negation.hit++;
      r.modality.offered = true;
      r.modality.of++;
      if (read.modality === row.modality) r.modality.hit++;
      // Tense is scored where the clause has one (not under could, may, would, must, should, expected to…).
      if (row.tense || row.modality === null) {
        r.tense.offered = true;
        r.tense.of++;
        if (read.tense === row.tense) r.tense.hit++;
      }
    }
    // Dates: every sentence counts, so a date found where there is none is a miss too.
    const spans = c.dateTexts(row.text, row.publishedAt).map(norm);
    r.dateSpan.of++;
    if (spans.length > 0 || row.dateText === null) r.dateSpan.offered = true;
    const want = row.dateText ? norm(row.dateText) : null;
    if (
      want
        ? spans.some((s) => s.includes(want) || want.includes(s.replace(/^(?:on|from|at|by|in) /, "")))
        : spans.length === 0
    )
      r.dateSpan.hit++;
    const values = c.dateValues(row.text, row.publishedAt, row.trigger);
    if (values) {
      r.dateValue.offered = true;
      r.dateValue.of++;
      if (row.date ? values.length === 1 && values[0] === row.date : values.length === 0) r.dateValue.hit++;
    }
  }
  return r;
}

type CorpusItem = { id: string; title: string; summary: string; content?: string; published: string };
type Corpus = {
  name: string;
  storylines: Array<{ id: string; title: string; kind: string; query: string; aliases?: unknown }>;
  ticks: Array<{ at: string; items: CorpusItem[] }>;
};
// The fit corpora only: the check set (a subfolder) is never read.
const corpora = Object.values(
  import.meta.glob<Corpus>("../test/fixtures/corpora/*.json", { eager: true, import: "default" }),
);

/** Each fit storyline's matched items, as the reader sees them: title, summary, the body's first four sentences. */
function matchedItems() {
  const out: Array<{
    text: string;
    item: { title: string; summary: string; content: string; publishedAt: string };
    ctx: ReturnType<typeof readingContext>;
  }> = [];
  for (const corpus of corpora) {
    for (const s of corpus.storylines) {
      const anchors = compileAnchors(s.query);
      const ctx = readingContext({ title: s.title, kind: s.kind as "event", query: s.query, aliases: null });
      for (const tick of corpus.ticks)
        for (const i of tick.items) {
          if (!matchesQuery(anchors, `${i.title} ${i.summary} ${i.content ?? ""}`)) continue;
          const content = splitSentences(i.content ?? "")
            .slice(0, 4)
            .join(" ");
          out.push({
            text: [i.title, i.summary, content].filter(Boolean).join(". "),
            item: { title: i.title, summary: i.summary, content, publishedAt: i.published },
            ctx,
          });
        }
    }
  }
  return out;
}

/** Fastest of several timed rounds, ms per item: other load can only add time. */
function msPerItem(n: number, run: () => void): number {
  run();
  let best = Number.POSITIVE_INFINITY;
  for (let round = 0; round < 5; round++) {
    const t0 = performance.now();
    run();
    best = Math.min(best, performance.now() - t0);
  }
  return best / n;
}

const cell = (s: Score) => (s.offered ? `${s.hit}/${s.of} (${(s.hit / s.of).toFixed(2)})` : "—");
const kb = (n: number | undefined) => (n === undefined ? "?" : `${(n / 1024).toFixed(1)} KB`);

function table(results: Array<Result & { ms?: number; bytes?: number }>, costs: boolean): string[] {
  const head = ["candidate", "sentences (texts split right)", "trigger lemma", "tense", "modality", "negation"];
  head.push("date span", "date value");
  if (costs) head.push("CPU ms / matched item", "bundle gzip");
  return [
    `| ${head.join(" | ")} |`,
    `| ${head.map(() => "---").join(" | ")} |`,
    ...results.map((r) => {
      const cells = [r.name, cell(r.sentences), cell(r.lemma), cell(r.tense), cell(r.modality), cell(r.negation)];
      cells.push(cell(r.dateSpan), cell(r.dateValue));
      if (costs) cells.push((r.ms ?? Number.NaN).toFixed(3), kb(r.bytes));
      return `| ${cells.join(" | ")} |`;
    }),
  ];
}

it("compares the NLP candidates on the labelled sentences, CPU per matched item and bundle size", () => {
  const sizes = inject("nlpBundleSizes");
  const items = matchedItems();
  const fresh = rows.filter((r) => r.source === "fresh");
  const results = CANDIDATES.map((c) => {
    const acc = accuracy(c, rows, true);
    const ms = msPerItem(items.length, () => {
      for (const { text, item } of items) c.analyse(text, item.publishedAt);
    });
    return { ...acc, ms, bytes: sizes[c.bundle] };
  });
  const freshResults = CANDIDATES.map((c) => accuracy(c, fresh, false));
  const extractMs = msPerItem(items.length, () => {
    for (const { item, ctx } of items) extract(item, ctx);
  });
  // The floor of each library: reading the text, nothing asked of it yet.
  const floors = Object.entries(LIBRARY_FLOORS).map(
    ([name, read]) =>
      `${name} ${msPerItem(items.length, () => {
        for (const { text } of items) read(text);
      }).toFixed(3)} ms`,
  );
  const list = (o: Record<string, number>) =>
    Object.entries(o)
      .map(([k, v]) => `${k} ${v.toFixed(1)} ms`)
      .join(", ");

  const lines = [
    `NLP candidates in workerd: ${rows.length} labelled sentences (${rows.filter((r) => r.trigger).length} with a trigger, ${rows.filter((r) => r.date).length} dated), ${paragraphs(rows, true).length} texts to split; ${items.length} matched items of ${corpora.length} fit corpora for CPU`,
    ...table(results, true),
    `reference, per matched item: the whole hand-written extract() (cues, places, principals, dates) ${extractMs.toFixed(3)} ms; the libraries' floor (parse only): ${floors.join(", ")}`,
    `first call in this isolate (lazy set-up included): ${list(firstCall)}; set-up at import: ${list(setupMs)}`,
    "",
    `the ${fresh.length} fresh sentences only (written for this benchmark, never seen by the hand-written rules):`,
    ...table(freshResults, false),
  ];
  console.log(lines.join("\n"));
  for (const r of results) expect(r.dateSpan.of).toBe(rows.length);
});

// Measured before anything else runs in this file's isolate: what the first item pays.
const firstCall: Record<string, number> = {};
for (const c of CANDIDATES) {
  const t0 = performance.now();
  c.analyse("The two leaders agreed to meet in Geneva on June 5. The talks were postponed.", "2025-05-11T09:00:00Z");
  firstCall[c.name] = performance.now() - t0;
}
