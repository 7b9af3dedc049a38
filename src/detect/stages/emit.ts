/**
 * Stage "emit": the actions a batch ends in, each with its evidence. A development built in the
 * batch becomes development.create (with what to remember of it); the reports that repeated known
 * developments become development.corroborate, an update when they cross a meaningful line; a
 * moved status or facts become storyline.update.
 */
import type { DevelopmentType, Facts, StorylineRecord, StorylineStatus } from "../../contracts";
import type { StoryState } from "../status";
import { digest } from "../text";
import type { DetectionAction, DevelopmentDraft, DevelopmentMemory, FactChange, SourceRef } from "../types";
import type { OpenDevelopment } from "./cluster";

/** Reports of known developments gathered in one batch, per development key. */
export interface Corroboration {
  development: DevelopmentMemory;
  sources: SourceRef[];
  /** The development's independent outlets before this batch. */
  outletsBefore: number;
  /** Facts a refinement set (see DetectionAction development.corroborate). */
  facts?: Facts;
}

/** Independent outlets at which a development is worth a development.updated. */
const UPDATE_AT_OUTLETS = 3;

const MONTH_NAMES = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"];

function formatDay(iso: string): string {
  const [y, m, d] = iso.split("-");
  return `${Number(d)} ${MONTH_NAMES[Number(m) - 1]} ${y}`;
}

/** "2025-08-15" → "15 Aug 2025"; a range "a/b" → "a–b". */
export function formatDate(date: string): string {
  const [a, b] = date.split("/");
  return b ? `${formatDay(a as string)}–${formatDay(b)}` : formatDay(a as string);
}

const STATUS_LABEL: Record<StorylineStatus, string> = {
  proposed: "Proposed",
  agreed: "Agreed",
  scheduled: "Scheduled",
  postponed: "Postponed",
  cancelled: "Cancelled",
  held: "Held",
  negotiating: "Negotiating",
  signed: "Signed",
  in_force: "In force",
  suspended: "Suspended",
  collapsed: "Collapsed",
};

function factParts(facts: Facts): string[] {
  const parts: string[] = [];
  if (facts.date) parts.push(formatDate(facts.date));
  if (facts.place) parts.push(facts.place);
  return parts;
}

export function titleFor(
  type: DevelopmentType,
  status: StorylineStatus | null,
  facts: Facts,
  changes: FactChange[],
  fallback: string,
): string {
  // No outlet count in the title: the count grows after the alert, and every place that shows
  // the development's own `outlets` instead, so they never disagree.
  if (type === "status_change" && status) {
    const parts = factParts(facts);
    return `${STATUS_LABEL[status]}: ${parts.length ? parts.join(", ") : fallback}`;
  }
  if (type === "new_fact") {
    const fields = changes.map((c) => c.field);
    if (fields.includes("date") && facts.date) return `New date: ${factParts(facts).join(", ")}`;
    if (fields.includes("place") && facts.place) return `New place: ${facts.place}`;
    if (fields.includes("date") || fields.includes("place")) return `Date or place withdrawn: ${fallback}`;
    if (facts.note) return `Update: ${facts.note}`;
  }
  return fallback;
}

export function diff(before: StoryState, after: StoryState): FactChange[] {
  const changes: FactChange[] = [];
  if (before.status !== after.status) changes.push({ field: "status", from: before.status, to: after.status });
  for (const field of ["date", "place", "note"] as const) {
    const from = before.facts[field] ?? null;
    const to = after.facts[field] ?? null;
    if (from !== to) changes.push({ field, from, to });
  }
  return changes;
}

/**
 * The development built in this batch as a development.create action, and what to remember of
 * it. `story` is the state when it is emitted (a coverage cluster carries that status).
 */
export function emitDevelopment(
  open: OpenDevelopment,
  story: StoryState,
  storyline: Pick<StorylineRecord, "title" | "alertOn">,
): { action: DetectionAction & { type: "development.create" }; remembered: DevelopmentMemory } {
  const changes = diff(open.before, open.after);
  const statusChanged = changes.some((c) => c.field === "status");
  // A move that ended where it began is coverage.
  const type: DevelopmentType = open.coverage
    ? "coverage"
    : statusChanged
      ? "status_change"
      : changes.length
        ? "new_fact"
        : "coverage";
  const after = open.after;
  const facts: Facts = {};
  if (after.facts.date !== undefined) facts.date = after.facts.date ?? null;
  if (after.facts.place !== undefined) facts.place = after.facts.place ?? null;
  if (changes.some((c) => c.field === "note")) facts.note = after.facts.note ?? null;
  if (after.facts.participants) facts.participants = after.facts.participants;
  const fallback = type === "coverage" ? open.first.title : storyline.title;
  const transition = type === "status_change" ? `${open.before.status ?? "no status"} → ${after.status}. ` : "";
  const alert = !open.baseline && storyline.alertOn.includes(type);
  const development: DevelopmentDraft = {
    key: open.key,
    type,
    status: type === "coverage" ? story.status : after.status,
    previousStatus: open.before.status,
    facts,
    changes,
    title: titleFor(type, after.status, after.facts, changes, fallback),
    summary: `${storyline.title}: ${transition}“${open.quote.slice(0, 280)}” (${open.sources[0]?.outlet ?? "unknown"})`,
    confidence: Math.round(Math.min(1, open.certainty * (0.7 + 0.1 * Math.min(3, open.outlets.length))) * 100) / 100,
    baseline: open.baseline,
    firstSeenAt: open.first.firstSeenAt,
  };
  return {
    action: {
      type: "development.create",
      development,
      sources: open.sources,
      outlets: open.outlets.length,
      alert,
      evidence: `${open.sources.length} item(s); first: ${open.first.id}: “${open.quote.slice(0, 200)}”`,
    },
    remembered: {
      key: open.key,
      status: development.status,
      facts: after.facts,
      first: open.firstMs,
      last: Date.parse(open.sources[open.sources.length - 1]?.publishedAt ?? open.first.publishedAt),
      outlets: open.outlets,
      alerted: alert,
      baseline: open.baseline,
      updates: [],
      ...(type === "coverage" ? { stems: open.stems } : {}),
    },
  };
}

/**
 * One development.corroborate per development repeated in the batch. It is an update worth
 * sending (development.updated) when the development was alerted, and it crossed three
 * independent outlets or a refinement set its facts, once per update key; `sent` lists those.
 */
export function emitCorroborations(corroborations: ReadonlyMap<string, Corroboration>): {
  actions: DetectionAction[];
  sent: Array<{ development: DevelopmentMemory; updateKey: string }>;
} {
  const actions: DetectionAction[] = [];
  const sent: Array<{ development: DevelopmentMemory; updateKey: string }> = [];
  for (const [key, entry] of corroborations) {
    const development = entry.development;
    const count = development.outlets.length;
    const crossed = entry.outletsBefore < UPDATE_AT_OUTLETS && count >= UPDATE_AT_OUTLETS;
    let updateKey: string | null = crossed ? `outlets:${UPDATE_AT_OUTLETS}` : null;
    if (entry.facts) {
      const parts = [entry.facts.date, entry.facts.place].filter(Boolean).join("|");
      updateKey = `facts:${digest(parts).slice(0, 8)}`;
    }
    const alert =
      !!updateKey && development.alerted && !development.baseline && !development.updates.includes(updateKey);
    if (alert && updateKey) sent.push({ development, updateKey });
    actions.push({
      type: "development.corroborate",
      key,
      sources: entry.sources,
      outlets: count,
      alert,
      updateKey,
      evidence: `${entry.sources.length} more report(s); ${count} independent outlet(s)`,
      ...(entry.facts ? { facts: entry.facts } : {}),
    });
  }
  return { actions, sent };
}

/** storyline.update when the batch moved the status or facts, else null. */
export function emitStorylineUpdate(
  start: StoryState,
  story: StoryState,
  developmentKey: string | null,
  voided: boolean,
  now: string,
): DetectionAction | null {
  if (story.status === start.status && JSON.stringify(story.facts) === JSON.stringify(start.facts)) return null;
  return {
    type: "storyline.update",
    status: story.status,
    facts: story.facts,
    developmentKey,
    evidence: voided
      ? `the date passed without a report of the event; date voided as of ${now}`
      : `status ${start.status ?? "none"} → ${story.status ?? "none"} as of ${now}`,
  };
}
