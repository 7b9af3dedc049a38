/**
 * The working state of one detect() call, and the one place it changes: the stages decide
 * (read, decide status, cluster, emit), and `record` writes what they decided into the batch:
 * the development it extends or opens, the corroboration it adds, the item as read. The batch
 * starts from a copy of the saved memory, so detect() as a whole stays pure: it never changes
 * the state it is given.
 */
import type { StorylineRecord } from "../../contracts";
import { withMemoryDefaults } from "../state";
import type { StoryState } from "../status";
import type { DetectionAction, DetectorMemory, DetectorState, DevelopmentMemory } from "../types";
import { type Assignment, MAX_STEMS, type OpenDevelopment } from "./cluster";
import type { Decision } from "./decide";
import { type Corroboration, emitDevelopment } from "./emit";
import { type ItemRead, sourceRef } from "./read";

/** Bounds of the saved memory: the oldest items and developments age out. */
export const MAX_ITEMS = 1500;
export const MAX_DEVS = 150;

export interface Batch {
  memory: DetectorMemory;
  story: StoryState;
  /** The development being built from this batch's items, not yet emitted. */
  open: OpenDevelopment | null;
  /** Reports of known developments, per development key, in the order first corroborated. */
  corroborations: Map<string, Corroboration>;
  /** development.create actions, in the order emitted. */
  created: DetectionAction[];
  /** The development that last moved the state in this batch. */
  lastKey: string | null;
}

/**
 * A copy of the saved memory that the batch may change. Developments change in place, so each
 * is copied with its lists; read items are only ever replaced, so they are shared rather than
 * cloned (a deep clone of 1,500 of them cost more than the rest of a small batch).
 */
function workingCopy(memory: DetectorMemory): DetectorMemory {
  return {
    ...memory,
    items: { ...memory.items },
    order: [...memory.order],
    devs: memory.devs.map((d) => ({
      ...d,
      outlets: [...d.outlets],
      updates: [...d.updates],
      ...(d.stems ? { stems: [...d.stems] } : {}),
    })),
  };
}

export function startBatch(state: DetectorState): Batch {
  return {
    memory: workingCopy(withMemoryDefaults(state.memory)),
    story: { status: state.status, facts: { ...state.facts } },
    open: null,
    corroborations: new Map(),
    created: [],
    lastKey: null,
  };
}

/** Emits the open development, if any, and remembers it; one that moved the state becomes current. */
export function closeOpen(batch: Batch, storyline: Pick<StorylineRecord, "title" | "alertOn">): void {
  const open = batch.open;
  if (!open) return;
  batch.open = null;
  const { action, remembered } = emitDevelopment(open, batch.story, storyline);
  batch.created.push(action);
  batch.memory.devs.push(remembered);
  if (action.development.type !== "coverage") {
    batch.memory.current = open.key;
    batch.lastKey = open.key;
  }
}

function corroborate(
  batch: Batch,
  development: DevelopmentMemory,
  read: ItemRead,
  quote: string | null,
  counted: boolean,
): Corroboration {
  const entry = batch.corroborations.get(development.key) ?? {
    development,
    sources: [],
    outletsBefore: development.outlets.length,
  };
  entry.sources.push(sourceRef(read.item, quote));
  batch.corroborations.set(development.key, entry);
  if (counted && !development.outlets.includes(read.outlet)) development.outlets.push(read.outlet);
  development.last = Math.max(development.last, read.ms);
  return entry;
}

function addStems(known: string[], stems: string[]): void {
  for (const w of stems) if (known.length < MAX_STEMS && !known.includes(w)) known.push(w);
}

/** Adds an item to the development open in this batch. */
function join(open: OpenDevelopment, read: ItemRead, quote: string | null): void {
  open.sources.push(sourceRef(read.item, quote));
  if (read.wireCopyOf === null && !open.outlets.includes(read.outlet)) open.outlets.push(read.outlet);
  open.hashes.push(read.simhash);
}

function openOf(batch: Batch): OpenDevelopment {
  if (!batch.open) throw new Error("no development is open in this batch to extend or join");
  return batch.open;
}

function moveOf(decision: Decision): NonNullable<Decision["moved"]> {
  if (!decision.moved) throw new Error("only an item that moves the state refines or extends a development");
  return decision.moved;
}

/** Writes one item's assignment into the batch; returns the key of the development it was counted in. */
function assign(
  batch: Batch,
  storyline: Pick<StorylineRecord, "title" | "alertOn">,
  read: ItemRead,
  decision: Decision,
  assignment: Assignment,
): string | null {
  const { moved, quote } = decision;
  switch (assignment.kind) {
    case "refine": {
      const { next } = moveOf(decision);
      const development = assignment.development;
      const entry = corroborate(batch, development, read, quote, read.wireCopyOf === null);
      entry.facts = { ...next.facts };
      development.facts = { ...next.facts };
      return development.key;
    }
    case "extend": {
      const open = openOf(batch);
      const { next, claim } = moveOf(decision);
      open.after = next;
      join(open, read, claim.quote);
      open.certainty = Math.max(open.certainty, claim.certainty);
      open.quote = claim.quote;
      return open.key;
    }
    case "open": {
      closeOpen(batch, storyline);
      const { item, ms } = read;
      const first = moved ? { after: moved.next, certainty: moved.claim.certainty, quote: moved.claim.quote } : null;
      const cited = first?.quote ?? quote ?? item.title;
      batch.open = {
        key: assignment.key,
        before: batch.story,
        after: first?.after ?? batch.story,
        first: item,
        firstMs: ms,
        sources: [sourceRef(item, cited)],
        outlets: [read.outlet],
        hashes: [read.simhash],
        baseline: item.baseline,
        certainty: first?.certainty ?? 0.5,
        quote: cited,
        coverage: assignment.coverage,
        stems: assignment.stems,
      };
      return assignment.key;
    }
    case "join": {
      const open = openOf(batch);
      join(open, read, quote);
      if (assignment.stems) addStems(open.stems, assignment.stems);
      return open.key;
    }
    case "corroborate": {
      corroborate(batch, assignment.development, read, quote, assignment.counted);
      if (assignment.stems) addStems(assignment.development.stems as string[], assignment.stems);
      return assignment.development.key;
    }
    case "keep":
      return assignment.key;
    case "none":
      return null;
  }
}

/**
 * Records one item: its assignment, the state it moved to (with whether a newly set date was a
 * plan, voided if it passes unreported, or the day it happened), and the item as read.
 */
export function record(
  batch: Batch,
  storyline: Pick<StorylineRecord, "title" | "alertOn">,
  read: ItemRead,
  decision: Decision,
  assignment: Assignment,
): void {
  const developmentKey = assign(batch, storyline, read, decision, assignment);
  const { memory } = batch;
  if (decision.moved) {
    const next = decision.moved.next;
    const date = next.facts.date ?? null;
    if (date !== (batch.story.facts.date ?? null)) {
      memory.happenedOn = date && date.slice(0, 10) <= read.item.publishedAt.slice(0, 10) ? date : null;
    }
    batch.story = next;
    if (read.dated) memory.movedAt = Math.max(memory.movedAt, read.ms);
  }
  if (!read.seen) memory.order.push(read.item.id);
  memory.items[read.item.id] = { h: read.digest, d: developmentKey, s: read.simhash, o: read.outlet };
}

/** Remembers the updates sent, so each goes out once per development. */
export function recordSent(sent: ReadonlyArray<{ development: DevelopmentMemory; updateKey: string }>): void {
  for (const { development, updateKey } of sent) development.updates.push(updateKey);
}

/** Keeps the batch's memory within its bounds: the oldest items and developments age out. */
export function ageOut(memory: DetectorMemory): void {
  // In place, on the batch's own copy: a second copy of 1,500 items cost more than the batch's reading.
  while (memory.order.length > MAX_ITEMS) {
    const id = memory.order.shift() as string;
    delete memory.items[id];
  }
  if (memory.devs.length > MAX_DEVS) memory.devs.splice(0, memory.devs.length - MAX_DEVS);
}
