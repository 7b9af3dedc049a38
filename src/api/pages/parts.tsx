import type { Facts, StorylineStatus } from "../../contracts";
import type { DevelopmentJson } from "../../store/developments";

/**
 * A URL from a feed, if it is safe to link: absolute http(s) only, so a feed cannot plant a
 * `javascript:` or `data:` link. Anything else is shown as text, not linked.
 */
export function safeHref(url: string | null | undefined): string | undefined {
  if (!url) return undefined;
  try {
    const parsed = new URL(url);
    return parsed.protocol === "http:" || parsed.protocol === "https:" ? parsed.href : undefined;
  } catch {
    return undefined;
  }
}

/** "2025-08-15 12:00 UTC" from an ISO time; the machine-readable value stays in <time datetime>. */
export function humanTime(iso: string): string {
  const time = new Date(iso);
  if (Number.isNaN(time.getTime())) return iso;
  return `${time.toISOString().slice(0, 16).replace("T", " ")} UTC`;
}

export function Time({ iso }: { iso: string | null | undefined }) {
  if (!iso) return <span class="muted">never</span>;
  return <time datetime={iso}>{humanTime(iso)}</time>;
}

/**
 * One colour per status (background, text), used by the badges and the timeline's bands. Every
 * pair keeps a contrast of at least 7:1 (WCAG AAA) in light and dark mode alike.
 */
export const STATUS_COLOURS: Record<StorylineStatus, { background: string; text: string }> = {
  proposed: { background: "#e0e7ff", text: "#312e81" },
  negotiating: { background: "#dbeafe", text: "#1e3a8a" },
  agreed: { background: "#ccfbf1", text: "#134e4a" },
  scheduled: { background: "#dcfce7", text: "#14532d" },
  held: { background: "#e5e7eb", text: "#111827" },
  signed: { background: "#cffafe", text: "#164e63" },
  in_force: { background: "#ede9fe", text: "#4c1d95" },
  postponed: { background: "#ffedd5", text: "#7c2d12" },
  suspended: { background: "#fef3c7", text: "#78350f" },
  cancelled: { background: "#fee2e2", text: "#7f1d1d" },
  collapsed: { background: "#fce7f3", text: "#831843" },
};

/** Statuses after which a planned date no longer matters. */
const SETTLED = new Set<StorylineStatus>(["held", "cancelled", "postponed", "collapsed", "in_force", "signed"]);

/**
 * The planned date (or the last day of a range) when it has passed while the storyline still
 * waits for it; null otherwise. Days are compared in UTC, as the facts are written.
 */
export function passedDate(facts: Facts, status: StorylineStatus | null, now: Date): string | null {
  if (!facts.date || (status && SETTLED.has(status))) return null;
  const last = facts.date.split("/").pop() ?? facts.date;
  if (!/^\d{4}-\d{2}-\d{2}$/.test(last)) return null;
  return last < now.toISOString().slice(0, 10) ? facts.date : null;
}

export function PassedDateFlag({ date }: { date: string | null }) {
  if (!date) return null;
  return (
    <p class="flag" role="note">
      The planned date ({factText(date)}) has passed without a report that it took place.
    </p>
  );
}

export function StatusBadge({ status }: { status: StorylineStatus | null }) {
  if (status === null) return <span class="badge status-none">no status yet</span>;
  return <span class={`badge status-${status}`}>{status.replace("_", " ")}</span>;
}

const DATE_RANGE = /^(\d{4}-\d{2}-\d{2})\/(\d{4}-\d{2}-\d{2})$/;

/** A fact value as text: an ISO date range "a/b" reads "a to b", a list is comma-separated. */
export function factText(value: unknown): string {
  if (value === null || value === undefined) return "—";
  if (Array.isArray(value)) return value.map(String).join(", ");
  if (typeof value === "string") return value.replace(DATE_RANGE, "$1 to $2");
  return JSON.stringify(value);
}

/** The fact changes of a development; a status move is shown by its badges, not repeated. */
export function factChanges(development: DevelopmentJson): DevelopmentJson["changes"] {
  return development.changes.filter((change) => change.field !== "status");
}

export function FactList({ facts }: { facts: Facts }) {
  return (
    <dl class="facts">
      <dt>Date</dt>
      <dd>{factText(facts.date)}</dd>
      <dt>Place</dt>
      <dd>{factText(facts.place)}</dd>
      {facts.participants?.length ? (
        <>
          <dt>Participants</dt>
          <dd>{factText(facts.participants)}</dd>
        </>
      ) : null}
      {facts.note ? (
        <>
          <dt>Note</dt>
          <dd>{facts.note}</dd>
        </>
      ) : null}
    </dl>
  );
}

/** An outside link (a source or a feed): http(s) only, no referrer, so a feed key in our URL stays ours. */
export function OutsideLink({ url, text }: { url: string | null | undefined; text: string }) {
  const href = safeHref(url);
  if (!href) return <span>{text}</span>;
  return (
    <a href={href} rel="noopener noreferrer nofollow">
      {text}
    </a>
  );
}
