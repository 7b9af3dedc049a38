/** Read queries for the status page, the storyline page and the Atom feed (D1 is the source of truth). */
import type { Facts, StorylineKind, StorylineStatus } from "../contracts";

/** A storyline as the pages show it, with figures aggregated over its developments. */
export interface StorylineSummary {
  id: string;
  title: string;
  kind: StorylineKind;
  status: StorylineStatus | null;
  facts: Facts;
  active: boolean;
  /** Ids of the feeds it may see; null = all feeds. */
  feeds: string[] | null;
  feedKey: string;
  createdAt: string;
  updatedAt: string;
  /** When its newest development was first seen, or null before the first one. */
  lastDevelopmentAt: string | null;
  developments: number;
  /** Distinct outlets over all its developments' sources (an outlet without a name counts by feed). */
  outlets: number;
  /** Its own health: the last detection error and since when detection fails (null when it works). */
  lastError: string | null;
  failingSince: string | null;
}

/** A feed's health as the storyline page shows it. */
export interface FeedHealth {
  id: string;
  url: string;
  title: string | null;
  lastCheckedAt: string | null;
  lastStatus: string | null;
  lastError: string | null;
  failingSince: string | null;
  consecutiveFailures: number;
}

interface SummaryRow {
  id: string;
  title: string;
  kind: StorylineKind;
  status: StorylineStatus | null;
  facts: string;
  active: number;
  feeds: string | null;
  feed_key: string;
  created_at: string;
  updated_at: string;
  last_development_at: string | null;
  developments: number;
  outlets: number;
  last_error: string | null;
  failing_since: string | null;
}

const SUMMARY_SELECT = `
  SELECT s.id, s.title, s.kind, s.status, s.facts, s.active, s.feeds, s.feed_key, s.created_at, s.updated_at,
    s.last_error, s.failing_since,
    (SELECT MAX(d.first_seen_at) FROM developments d WHERE d.storyline_id = s.id) AS last_development_at,
    (SELECT COUNT(*) FROM developments d WHERE d.storyline_id = s.id) AS developments,
    (SELECT COUNT(DISTINCT COALESCE(ds.outlet, ds.feed_id, ds.url))
       FROM development_sources ds JOIN developments d ON d.id = ds.development_id
      WHERE d.storyline_id = s.id) AS outlets
  FROM storylines s`;

function parseJson<T>(text: string | null, fallback: T): T {
  if (text === null) return fallback;
  try {
    return JSON.parse(text) as T;
  } catch {
    return fallback;
  }
}

function toSummary(row: SummaryRow): StorylineSummary {
  return {
    id: row.id,
    title: row.title,
    kind: row.kind,
    status: row.status,
    facts: parseJson<Facts>(row.facts, {}),
    active: row.active === 1,
    feeds: parseJson<string[] | null>(row.feeds, null),
    feedKey: row.feed_key,
    createdAt: row.created_at,
    updatedAt: row.updated_at,
    lastDevelopmentAt: row.last_development_at,
    developments: row.developments,
    outlets: row.outlets,
    lastError: row.last_error,
    failingSince: row.failing_since,
  };
}

/** Every storyline, the most recently moved first; storylines with no development yet last. */
export async function listStorylineSummaries(db: D1Database): Promise<StorylineSummary[]> {
  const { results } = await db
    .prepare(`${SUMMARY_SELECT} ORDER BY last_development_at IS NULL, last_development_at DESC, s.title, s.id`)
    .all<SummaryRow>();
  return results.map(toSummary);
}

export async function getStorylineSummary(db: D1Database, id: string): Promise<StorylineSummary | null> {
  const row = await db.prepare(`${SUMMARY_SELECT} WHERE s.id = ?`).bind(id).first<SummaryRow>();
  return row ? toSummary(row) : null;
}

interface FeedRow {
  id: string;
  url: string;
  title: string | null;
  last_checked_at: string | null;
  last_status: string | null;
  last_error: string | null;
  failing_since: string | null;
  consecutive_failures: number;
}

// D1 allows 100 bound parameters per statement.
const MAX_IDS_PER_QUERY = 90;

/**
 * Health of the feeds a storyline draws on (its `feeds`, or every feed when null), failing
 * feeds first, the longest-failing first.
 */
export async function listFeedHealth(db: D1Database, feedIds: string[] | null): Promise<FeedHealth[]> {
  const select =
    "SELECT id, url, title, last_checked_at, last_status, last_error, failing_since, consecutive_failures FROM feeds";
  const rows: FeedRow[] = [];
  if (feedIds === null) {
    rows.push(...(await db.prepare(select).all<FeedRow>()).results);
  } else {
    for (let i = 0; i < feedIds.length; i += MAX_IDS_PER_QUERY) {
      const chunk = feedIds.slice(i, i + MAX_IDS_PER_QUERY);
      const { results } = await db
        .prepare(`${select} WHERE id IN (${chunk.map(() => "?").join(",")})`)
        .bind(...chunk)
        .all<FeedRow>();
      rows.push(...results);
    }
  }
  rows.sort(
    (a, b) =>
      Number(b.failing_since !== null) - Number(a.failing_since !== null) ||
      (a.failing_since ?? "").localeCompare(b.failing_since ?? "") ||
      (a.title ?? a.url).localeCompare(b.title ?? b.url),
  );
  return rows.map((row) => ({
    id: row.id,
    url: row.url,
    title: row.title,
    lastCheckedAt: row.last_checked_at,
    lastStatus: row.last_status,
    lastError: row.last_error,
    failingSince: row.failing_since,
    consecutiveFailures: row.consecutive_failures,
  }));
}
