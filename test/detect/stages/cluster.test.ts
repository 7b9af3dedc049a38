/** Stage "cluster": where an item goes, decided from plain data. */
import { describe, expect, it } from "vitest";
import { compileAnchors } from "../../../src/detect/anchors";
import {
  type ClusterInput,
  cluster,
  developmentKey,
  type OpenDevelopment,
  similar,
  topicStems,
} from "../../../src/detect/stages/cluster";
import type { Decision } from "../../../src/detect/stages/decide";
import type { StoryState } from "../../../src/detect/status";
import { type DetectorMemory, emptyDetectorMemory } from "../../../src/detect/types";
import { claim, development, item, reading, readOf, storyline } from "./fixtures";

const anchors = compileAnchors(storyline().query);
const HOUR = 3_600_000;
const T0 = "2025-08-08T00:00:00Z";
const at = (hours: number) => new Date(Date.parse(T0) + hours * HOUR).toISOString();

const agreed: StoryState = { status: "agreed", facts: { place: "Alaska" } };
const scheduled: StoryState = { status: "scheduled", facts: { date: "2025-08-15", place: "Alaska" } };
const refinedPlace: StoryState = { status: "agreed", facts: { place: "Anchorage" } };

const moves = (next: StoryState): Decision => ({
  moved: { next, claim: claim("agreed") },
  restating: null,
  quote: "q",
});
const restates: Decision = { moved: null, restating: claim("agreed"), quote: "q" };
const nothing: Decision = { moved: null, restating: null, quote: null };

function memoryWith(...devs: ReturnType<typeof development>[]): DetectorMemory {
  const memory = emptyDetectorMemory();
  memory.devs.push(...devs);
  memory.current = devs.find((d) => !d.stems)?.key ?? null;
  return memory;
}

function openDevelopment(extra: Partial<OpenDevelopment> = {}): OpenDevelopment {
  return {
    key: "summit:open",
    before: { status: null, facts: {} },
    after: agreed,
    first: item("o", T0),
    firstMs: Date.parse(T0),
    sources: [],
    outlets: ["Outlet o"],
    hashes: [[1, 1]],
    baseline: false,
    certainty: 1,
    quote: "q",
    coverage: false,
    stems: [],
    ...extra,
  };
}

function input(extra: Partial<ClusterInput> & { hours?: number; title?: string }): ClusterInput {
  const { hours = 1, title, ...rest } = extra;
  return {
    storylineId: "summit",
    kind: "event",
    anchors,
    story: agreed,
    open: null,
    memory: memoryWith(development("summit:current", { facts: agreed.facts })),
    read: readOf(item("n", at(hours), title)),
    decision: nothing,
    ...rest,
  };
}

describe("cluster: an item that moves the state", () => {
  it("refines the current development with one more detail shortly after it", () => {
    const assignment = cluster(input({ decision: moves(refinedPlace) }));
    expect(assignment).toMatchObject({ kind: "refine", development: { key: "summit:current" } });
  });

  it("opens a new development for a new status, or for a detail long after", () => {
    expect(cluster(input({ decision: moves(scheduled) }))).toEqual({
      kind: "open",
      key: "summit:n",
      coverage: false,
      stems: [],
    });
    expect(cluster(input({ decision: moves(refinedPlace), hours: 49 }))).toMatchObject({ kind: "open" });
  });

  it("extends the development open in this batch, unless it is coverage, baseline of another kind, or old", () => {
    expect(cluster(input({ decision: moves(scheduled), open: openDevelopment() }))).toEqual({ kind: "extend" });
    expect(cluster(input({ decision: moves(scheduled), open: openDevelopment({ coverage: true }) }))).toMatchObject({
      kind: "open",
    });
    expect(cluster(input({ decision: moves(scheduled), open: openDevelopment({ baseline: true }) }))).toMatchObject({
      kind: "open",
    });
    expect(cluster(input({ decision: moves(scheduled), open: openDevelopment(), hours: 73 }))).toMatchObject({
      kind: "open",
    });
  });

  it("keys an edit's development by its text, apart from the first text's", () => {
    const seen = { h: "h0", d: null, s: [0, 0] as [number, number], o: "Outlet n" };
    const read = readOf(item("n", at(1)), { seen, digest: "abcdef0123456789" });
    expect(developmentKey("summit", read)).toBe("summit:n:abcdef01");
    expect(cluster(input({ decision: moves(scheduled), read }))).toMatchObject({
      kind: "open",
      key: "summit:n:abcdef01",
    });
  });
});

describe("cluster: an item that says what is known", () => {
  it("leaves an edit where it was counted, or moves it to the current development it now restates", () => {
    const seen = { h: "h0", d: "summit:old", s: [0, 0] as [number, number], o: "Outlet n" };
    const read = readOf(item("n", at(1)), { seen });
    expect(cluster(input({ read }))).toEqual({ kind: "keep", key: "summit:old" });
    expect(cluster(input({ read, decision: restates }))).toMatchObject({
      kind: "corroborate",
      development: { key: "summit:current" },
      counted: true,
    });
  });

  it("skips an item on no relevant sentence that copies nothing", () => {
    const read = readOf(item("n", at(1)), { reading: reading({ relevantSentences: 0 }) });
    expect(cluster(input({ read, decision: restates }))).toEqual({ kind: "none" });
  });

  it("joins the open development it restates or shares a fact with", () => {
    const open = openDevelopment();
    expect(cluster(input({ open, decision: restates }))).toEqual({ kind: "join", stems: null });
    const sharesPlace = readOf(item("n", at(1)), { reading: reading({ places: ["Anchorage"] }) });
    expect(cluster(input({ open, read: sharesPlace }))).toEqual({ kind: "join", stems: null });
  });

  it("corroborates the development its copy was counted in; a wire copy adds no outlet", () => {
    const memory = memoryWith(development("summit:current"), development("summit:copied"));
    memory.items.w = { h: "h", d: "summit:copied", s: [5, 5], o: "Wire" };
    const read = readOf(item("n", at(1)), { copy: { itemId: "w", simhash: [5, 5], outlet: "Wire" }, wireCopyOf: "w" });
    expect(cluster(input({ memory, read }))).toMatchObject({
      kind: "corroborate",
      development: { key: "summit:copied" },
      counted: false,
    });
  });

  it("corroborates the current development it restates within six days, never for a topic", () => {
    expect(cluster(input({ decision: restates, hours: 24 * 5 }))).toMatchObject({
      kind: "corroborate",
      development: { key: "summit:current" },
      counted: true,
    });
    expect(cluster(input({ decision: restates, hours: 24 * 7 }))).toMatchObject({ kind: "open", coverage: true });
    expect(cluster(input({ decision: restates, kind: "topic" }))).toMatchObject({ kind: "open", coverage: true });
  });
});

describe("cluster: coverage", () => {
  const TITLE = "Ships cross Arctic waters as ice melts, shipping lanes open early";

  it("opens a coverage cluster with the item's content words when nothing known is near", () => {
    const assignment = cluster(input({ memory: emptyDetectorMemory(), title: TITLE }));
    expect(assignment).toEqual({
      kind: "open",
      key: "summit:n",
      coverage: true,
      stems: topicStems(`${TITLE} `, anchors),
    });
  });

  it("joins an open cluster or a remembered one that shares enough content words", () => {
    const stems = topicStems(TITLE, anchors);
    const open = openDevelopment({ coverage: true, stems, hashes: [[9, 9]] });
    expect(cluster(input({ memory: emptyDetectorMemory(), open, title: TITLE }))).toMatchObject({ kind: "join" });
    const memory = memoryWith(development("summit:cluster", { stems }));
    expect(cluster(input({ memory, title: TITLE }))).toMatchObject({
      kind: "corroborate",
      development: { key: "summit:cluster" },
      stems,
    });
  });

  it("stays silent on coverage while the current development is fresh", () => {
    expect(cluster(input({ title: TITLE, hours: 47 }))).toEqual({ kind: "none" });
  });
});

describe("content words", () => {
  it("keeps four-letter stems of content words, without the query's words, stopwords or numbers", () => {
    expect(topicStems("Trump says the Arctic summit of 2025 will open shipping lanes", anchors)).toEqual([
      "arct",
      "open",
      "ship",
      "lane",
    ]);
  });

  it("calls two reports similar when they share four stems and a quarter of the shorter", () => {
    expect(similar(["arct", "ship", "lane", "melt"], ["arct", "ship", "lane", "melt", "ice"])).toBe(true);
    expect(similar(["arct", "ship", "lane"], ["arct", "ship", "lane"])).toBe(false);
    expect(similar([], ["arct"])).toBe(false);
  });
});
