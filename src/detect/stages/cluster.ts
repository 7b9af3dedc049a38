/**
 * Stage "cluster": which development an item belongs to. An item that moves the state refines
 * the current development, extends the one open in this batch, or opens a new one; an item
 * that says what is known corroborates the development it repeats, found by near-duplicate
 * text (SimHash), shared facts or time; relevant coverage of nothing known opens (or joins) a
 * coverage cluster. The stage only decides: ./batch.ts records the assignment.
 */
import type { Facts, StorylineKind } from "../../contracts";
import { splitWords } from "../../storylines/query";
import { type Anchors, groupsHit } from "../anchors";
import { within } from "../extract/gazetteer";
import { hamming } from "../simhash";
import type { StoryState } from "../status";
import type { DetectorMemory, DevelopmentMemory, SourceRef } from "../types";
import { type Decision, refines } from "./decide";
import { type ItemRead, TOPIC_BITS } from "./read";

const HOUR_MS = 3_600_000;
const DAY_MS = 24 * HOUR_MS;
/** Moves within this time of the open development's first report extend it. */
export const MERGE_WINDOW_MS = 72 * HOUR_MS;
/** Reports within this time of a development's latest corroborate it. */
export const CORROBORATE_WINDOW_MS = 6 * DAY_MS;
/** Coverage within this time joins a coverage cluster. */
export const COVERAGE_WINDOW_MS = 2 * DAY_MS;
/** A detail within this time of the current development's first report refines it. */
export const REFINE_WINDOW_MS = 48 * HOUR_MS;
export const MAX_STEMS = 60;

/** The development being built in this batch, not yet emitted. */
export interface OpenDevelopment {
  key: string;
  before: StoryState;
  after: StoryState;
  first: ItemRead["item"];
  firstMs: number;
  sources: SourceRef[];
  outlets: string[];
  hashes: ItemRead["simhash"][];
  baseline: boolean;
  certainty: number;
  quote: string;
  coverage: boolean;
  /** Content-word stems of a coverage cluster (query words left out: every item has them). */
  stems: string[];
}

/** Where an item goes. */
export type Assignment =
  /** It moves the state with one more detail of the current development: an update, not a new development. */
  | { kind: "refine"; development: DevelopmentMemory }
  /** It moves the state further within the development open in this batch. */
  | { kind: "extend" }
  /** It opens a development (a move, or a coverage cluster): the open one is emitted first. */
  | { kind: "open"; key: string; coverage: boolean; stems: string[] }
  /** It repeats the development open in this batch (stems: a coverage cluster's new words). */
  | { kind: "join"; stems: string[] | null }
  /** It repeats a known development; `counted`: its outlet counts as independent. */
  | { kind: "corroborate"; development: DevelopmentMemory; counted: boolean; stems: string[] | null }
  /** An edit that brings nothing new: it stays in the development it was counted in. */
  | { kind: "keep"; key: string | null }
  | { kind: "none" };

export interface ClusterInput {
  storylineId: string;
  kind: StorylineKind;
  anchors: Anchors;
  story: StoryState;
  open: OpenDevelopment | null;
  memory: Pick<DetectorMemory, "items" | "devs" | "current">;
  read: ItemRead;
  decision: Decision;
}

const STOPWORDS = new Set(
  "the a an of to in on and for at by with from as is are was were be been has have had it its his her their this that these those than then after before over under into about said says say will would could may might also more most new not no but or which who what when where while".split(
    " ",
  ),
);

/** Content-word stems (4 letters) of a text, without the query's own words. */
export function topicStems(text: string, anchors: Anchors): string[] {
  const out: string[] = [];
  for (const word of splitWords(text)) {
    if (word.length < 3 || STOPWORDS.has(word) || /^\d+$/.test(word)) continue;
    if (groupsHit(anchors, word) > 0) continue;
    const stem = word.slice(0, 4);
    if (!out.includes(stem)) out.push(stem);
  }
  return out;
}

/** Two reports of the same story share a good part of their content words. */
export function similar(a: string[], b: string[]): boolean {
  if (a.length === 0 || b.length === 0) return false;
  let shared = 0;
  for (const w of a) if (b.includes(w)) shared++;
  return shared >= 4 && shared / Math.min(a.length, b.length) >= 0.25;
}

/** The key of a development opened by an item: an edit's carries its text's digest, so it differs from the first text's. */
export function developmentKey(storylineId: string, read: Pick<ItemRead, "item" | "seen" | "digest">): string {
  return read.seen ? `${storylineId}:${read.item.id}:${read.digest.slice(0, 8)}` : `${storylineId}:${read.item.id}`;
}

export function cluster({ storylineId, kind, anchors, story, open, memory, read, decision }: ClusterInput): Assignment {
  const { item, ms, seen, copy, reading } = read;
  const { moved, restating } = decision;
  const devByKey = (key: string | null) => (key ? (memory.devs.find((d) => d.key === key) ?? null) : null);
  const current = devByKey(memory.current);
  const counted = read.wireCopyOf === null;

  if (moved) {
    if (
      !open &&
      current &&
      !current.baseline &&
      !item.baseline &&
      ms - current.first <= REFINE_WINDOW_MS &&
      refines(story, moved.next)
    ) {
      return { kind: "refine", development: current };
    }
    if (open && open.baseline === item.baseline && !open.coverage && ms - open.firstMs <= MERGE_WINDOW_MS) {
      return { kind: "extend" };
    }
    return { kind: "open", key: developmentKey(storylineId, read), coverage: false, stems: [] };
  }

  if (seen) {
    // An edit that brings nothing new: at most it now reports another known development.
    const target = restating ? current : null;
    if (target && target.key !== seen.d && (!open || open.key !== target.key)) {
      return { kind: "corroborate", development: target, counted: true, stems: null };
    }
    return { kind: "keep", key: seen.d };
  }

  if (reading.relevantSentences === 0 && !copy) return { kind: "none" };

  // Corroboration: the development this item repeats (open in this batch, a copy's, or the current one).
  const copyDev = copy ? devByKey(memory.items[copy.itemId]?.d ?? null) : null;
  const sharesFacts = (facts: Facts) =>
    (!!facts.date && reading.dates.includes(facts.date)) ||
    (!!facts.place && reading.places.some((p) => within(p, facts.place as string) || within(facts.place as string, p)));
  if (
    open &&
    (restating || (copy && open.hashes.includes(copy.simhash)) || sharesFacts(open.after.facts)) &&
    ms - open.firstMs <= MERGE_WINDOW_MS
  ) {
    return { kind: "join", stems: null };
  }
  if (copyDev && ms - copyDev.last <= CORROBORATE_WINDOW_MS) {
    return { kind: "corroborate", development: copyDev, counted, stems: null };
  }
  if (
    current &&
    (restating || sharesFacts(current.facts)) &&
    ms - current.last <= CORROBORATE_WINDOW_MS &&
    kind !== "topic"
  ) {
    return { kind: "corroborate", development: current, counted, stems: null };
  }
  if (reading.relevantSentences === 0) return { kind: "none" };

  // A cluster of coverage: joined by a copy or shared content words, else a new one.
  const stems = topicStems(`${item.title} ${item.summary}`, anchors);
  if (
    open?.coverage &&
    ms - open.firstMs <= COVERAGE_WINDOW_MS &&
    ((copy && open.hashes.some((x) => hamming(x, read.simhash) <= TOPIC_BITS)) || similar(stems, open.stems))
  ) {
    return { kind: "join", stems };
  }
  const similarDev = memory.devs
    .filter((d) => d.stems && ms - d.last <= COVERAGE_WINDOW_MS)
    .find((d) => similar(stems, d.stems as string[]));
  if (similarDev) return { kind: "corroborate", development: similarDev, counted, stems };
  if (kind === "topic" || !current || ms - current.last > COVERAGE_WINDOW_MS) {
    return { kind: "open", key: `${storylineId}:${item.id}`, coverage: true, stems };
  }
  return { kind: "none" };
}
