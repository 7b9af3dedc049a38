/**
 * The detector is a pure function over plain data: the storyline's detector state and a
 * batch of matched items in, a new state and a list of actions out, each with its evidence
 * (in the manner of openstatus's DetectionAction). The Storyline Durable Object persists the
 * state and applies the actions to D1, KV and the deliveries queue; the detector does no I/O.
 */
import type { DevelopmentType, Facts, StoredItem, StorylineRecord, StorylineStatus } from "../contracts";
import type { SimHash } from "./simhash";

/** Where a development or fact was read: one item and the sentence that carries it. */
export interface SourceRef {
  itemId: string;
  feedId: string;
  url: string | null;
  title: string;
  /** Outlet name (feed title or link host); wire copies across outlets are collapsed by the detector. */
  outlet: string | null;
  publishedAt: string;
  quote: string | null;
}

export interface FactChange {
  field: keyof Facts | "status";
  from: unknown;
  to: unknown;
}

/** A new development as the detector decided it. `key` is stable for the same real-world development. */
export interface DevelopmentDraft {
  key: string;
  type: DevelopmentType;
  status: StorylineStatus | null;
  previousStatus: StorylineStatus | null;
  facts: Facts;
  changes: FactChange[];
  title: string;
  summary: string;
  confidence: number;
  baseline: boolean;
  firstSeenAt: string;
}

export type DetectionAction =
  | {
      type: "development.create";
      development: DevelopmentDraft;
      sources: SourceRef[];
      /** Independent outlets so far (collapsed copies count once). */
      outlets: number;
      /** Send development.created: not baseline, and the storyline's alert_on includes the type. */
      alert: boolean;
      evidence: string;
    }
  | {
      type: "development.corroborate";
      key: string;
      sources: SourceRef[];
      outlets: number;
      /**
       * A meaningful change to an alerted development (e.g. a third independent outlet):
       * send development.updated with event id `${developmentId}:${updateKey}`.
       */
      alert: boolean;
      updateKey: string | null;
      evidence: string;
      /**
       * Set when a report shortly after the development refines its facts without a new
       * status (a date or a more specific place for the same announcement): the development's
       * facts become these, and it is an update (updateKey `facts:…`), not a new development.
       */
      facts?: Facts;
    }
  | {
      type: "storyline.update";
      status: StorylineStatus | null;
      facts: Facts;
      /** The development that moved it, if any. */
      developmentKey: string | null;
      evidence: string;
    };

/**
 * One item the detector has read, as remembered between batches. The field names are short
 * because up to 1,500 of these are saved with every batch.
 */
export interface SeenItem {
  /** Digest of the item's text, to see an edit. */
  h: string;
  /** Key of the development it was counted in. */
  d: string | null;
  /** SimHash of its title and summary, to find copies. */
  s: SimHash;
  /** Its outlet. */
  o: string;
}

/** One development the detector has opened, as remembered between batches. */
export interface DevelopmentMemory {
  key: string;
  status: StorylineStatus | null;
  facts: Facts;
  /** Publication time (ms) of its first and latest report. */
  first: number;
  last: number;
  /** Independent outlets (wire copies collapsed). */
  outlets: string[];
  alerted: boolean;
  baseline: boolean;
  /** Update keys already sent as development.updated. */
  updates: string[];
  /** Coverage clusters: content-word stems, to join rewrites of the same story. */
  stems?: string[];
}

/** What the detector remembers of items and developments, bounded (the oldest age out). */
export interface DetectorMemory {
  /** By item id. */
  items: Record<string, SeenItem>;
  /** Item ids, oldest first. */
  order: string[];
  devs: DevelopmentMemory[];
  /** The development that last moved the state. */
  current: string | null;
  /** Publication time (ms) of the item that last moved the state. */
  movedAt: number;
  /**
   * A date reported as already come ("reached a deal in Vienna on July 14", published that day):
   * the day something happened, not a plan, so its passing voids nothing.
   */
  happenedOn: string | null;
}

/** The version of the saved state this code writes; parseDetectorState reads it and every earlier one. */
export const DETECTOR_STATE_VERSION = 1;

/**
 * Everything the detector remembers about one storyline between batches. JSON-serialisable
 * and bounded (old developments and item ids age out), stored by the Durable Object, which
 * reads it back through parseDetectorState (./state.ts).
 */
export interface DetectorState {
  version: typeof DETECTOR_STATE_VERSION;
  status: StorylineStatus | null;
  facts: Facts;
  memory: DetectorMemory;
}

export interface DetectInput {
  storyline: StorylineRecord;
  state: DetectorState;
  /** Matched items; `baseline` already says whether each is old news for this storyline. */
  items: StoredItem[];
  now: string;
}

export interface DetectOutput {
  state: DetectorState;
  actions: DetectionAction[];
}

export type Detect = (input: DetectInput) => DetectOutput;

export const emptyDetectorMemory = (): DetectorMemory => ({
  items: {},
  order: [],
  devs: [],
  current: null,
  movedAt: 0,
  happenedOn: null,
});

export const initialDetectorState = (): DetectorState => ({
  version: DETECTOR_STATE_VERSION,
  status: null,
  facts: {},
  memory: emptyDetectorMemory(),
});
