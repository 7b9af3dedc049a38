/**
 * The shapes that cross module boundaries along the flow:
 *   poller (src/feeds) → matching (src/storylines) → queue "detections" → detector DO (src/detect)
 *   → queue "deliveries" → webhooks (src/alerts).
 * Plain data only, so every stage can be tested without the runtime.
 */

export type StorylineKind = "event" | "agreement" | "topic";
export type DevelopmentType = "status_change" | "new_fact" | "coverage";

export const EVENT_STATUSES = ["proposed", "agreed", "scheduled", "postponed", "cancelled", "held"] as const;
export const AGREEMENT_STATUSES = [
  "proposed",
  "negotiating",
  "agreed",
  "signed",
  "in_force",
  "suspended",
  "collapsed",
] as const;
export type EventStatus = (typeof EVENT_STATUSES)[number];
export type AgreementStatus = (typeof AGREEMENT_STATUSES)[number];
export type StorylineStatus = EventStatus | AgreementStatus;

/** Facts a storyline or development establishes. `null` = not set, or voided by a later development. */
export interface Facts {
  /** ISO date (YYYY-MM-DD) or range (YYYY-MM-DD/YYYY-MM-DD). */
  date?: string | null;
  /** Most specific place named: city, else region, else country. */
  place?: string | null;
  participants?: string[] | null;
  note?: string | null;
}

/** A principal of a storyline: whose own acts move its status. */
export interface Participant {
  name: string;
  aliases?: string[];
}

/** A storyline as the pipeline needs it (a row of `storylines`, JSON columns parsed). */
export interface StorylineRecord {
  id: string;
  title: string;
  kind: StorylineKind;
  query: string;
  /** Feed ids the storyline may see; null = all feeds. */
  feeds: string[] | null;
  alertOn: DevelopmentType[];
  aliases: Record<string, string[]> | null;
  /** Declared principals (DESIGN.md); the title's parties count as well. */
  participants: Participant[] | null;
  source: "api" | "config";
  active: boolean;
  status: StorylineStatus | null;
  facts: Facts;
  createdAt: string;
  updatedAt: string;
}

/** A normalised item as stored in D1 (`items`), handed from the poller to matching. */
export interface StoredItem {
  id: string;
  feedId: string;
  feedTitle: string | null;
  url: string | null;
  title: string;
  summary: string;
  content: string;
  author: string | null;
  publishedAt: string;
  firstSeenAt: string;
  /** Seen on the feed's first successful check: state is built silently, never alerted. */
  baseline: boolean;
  /** An existing item edited in place (same identity, new text), not a new article. */
  updated: boolean;
  /** For an edit: when the feed says the text was revised (Atom updated, JSON Feed date_modified). */
  revisedAt?: string | null;
}

/** What the poller hands on after writing a feed's new and updated items to D1. */
export interface ItemBatch {
  runId: string | null;
  feedId: string;
  items: StoredItem[];
}

/**
 * A message on the `detections` queue: "run these stored items through this storyline's
 * detector". Item ids, not items: a queue message is bounded (128 KB), an article is not;
 * the consumer reads the text from D1.
 */
export interface DetectionMessage {
  /** The run that polled the items (null outside a run); the run completes once this is done. */
  runId: string | null;
  feedId: string;
  /** The outlet's name as the poller knew it (a feed's title is stored with its first check). */
  feedTitle: string | null;
  storylineId: string;
  /** The storyline the items were matched for: a message for an earlier storyline of the same id is stale. */
  storylineCreatedAt: string;
  itemIds: string[];
  /** For edited items: when the feed says the text was revised (not stored with the item). */
  revisedAt?: Record<string, string>;
  /** Stable for the same storyline and items: the run's accounting row for this message. */
  key: string;
}

export function isDetectionMessage(value: unknown): value is DetectionMessage {
  if (typeof value !== "object" || value === null) return false;
  const m = value as Record<string, unknown>;
  return (
    (m.runId === null || typeof m.runId === "string") &&
    typeof m.feedId === "string" &&
    typeof m.storylineId === "string" &&
    typeof m.storylineCreatedAt === "string" &&
    typeof m.key === "string" &&
    Array.isArray(m.itemIds) &&
    m.itemIds.every((id) => typeof id === "string")
  );
}

/** What the Storyline Durable Object receives for one storyline (RPC `ingest`). */
export interface IngestRequest {
  storyline: StorylineRecord;
  items: StoredItem[];
  runId: string | null;
}

export interface IngestResult {
  /** Developments created (baseline ones included). */
  developments: number;
  /** Alert events enqueued (created + updated). */
  alerts: number;
}

export type AlertEventType =
  | "development.created"
  | "development.updated"
  | "feed.failing"
  | "feed.recovered"
  /** Sent to one webhook on request ("Send test alert"); never subscribed to. */
  | "webhook.test";

/** What a webhook may subscribe to (`event_types`). */
export type SubscribableEventType = Exclude<AlertEventType, "webhook.test">;

export const ALERT_EVENT_TYPES = [
  "development.created",
  "development.updated",
  "feed.failing",
  "feed.recovered",
] as const satisfies readonly SubscribableEventType[];

/**
 * One thing to tell subscribers. `id` is stable for the same real-world event (e.g.
 * `${developmentId}:created`, `${developmentId}:outlets:3`), so re-sending it after a crash
 * or a retried queue message never makes a second delivery: deliveries are unique per
 * (webhook, event id).
 */
export interface AlertEvent {
  id: string;
  type: AlertEventType;
  /** The storyline it concerns (webhooks can filter on it); null for feed events. */
  storylineId: string | null;
  occurredAt: string;
  /** The body's `data`: `{ storyline, development }` for development events, `{ feed }` for feed events. */
  data: Record<string, unknown>;
}
