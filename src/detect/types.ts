/**
 * The detector is a pure function over plain data: the storyline's detector state and a
 * batch of matched items in, a new state and a list of actions out, each with its evidence
 * (in the manner of openstatus's DetectionAction). The Storyline Durable Object persists the
 * state and applies the actions to D1, KV and the deliveries queue; the detector does no I/O.
 */
import type { DevelopmentType, Facts, StoredItem, StorylineRecord, StorylineStatus } from "../contracts";

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
 * Everything the detector remembers about one storyline between batches. JSON-serialisable
 * and bounded (old clusters and item ids age out), stored by the Durable Object.
 */
export interface DetectorState {
  version: 1;
  status: StorylineStatus | null;
  facts: Facts;
  /** Opaque to the Durable Object: owned by the detector. */
  memory: Record<string, unknown>;
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

export const initialDetectorState = (): DetectorState => ({ version: 1, status: null, facts: {}, memory: {} });
