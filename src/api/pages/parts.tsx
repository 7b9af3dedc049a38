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
