import type { DevelopmentType, Facts, StorylineStatus } from "../contracts";
import { encodeCursor } from "../lib/cursor";

/** A development as the API, the Atom feed and webhooks show it (../shared/DESIGN.md). */
export interface DevelopmentJson {
  id: string;
  storyline_id: string;
  type: DevelopmentType;
  status: StorylineStatus | null;
  previous_status: StorylineStatus | null;
  facts: Facts;
  changes: Array<{ field: string; from: unknown; to: unknown }>;
  title: string;
  summary: string | null;
  confidence: number;
  outlets: number;
  sources: Array<{
    url: string | null;
    title: string | null;
    feed_id: string | null;
    outlet: string | null;
    published_at: string | null;
    quote: string | null;
  }>;
  first_seen_at: string;
  updated_at: string;
  baseline: boolean;
}

interface DevelopmentRow {
  id: string;
  storyline_id: string;
  type: DevelopmentType;
  status: StorylineStatus | null;
  previous_status: StorylineStatus | null;
  facts: string;
  changes: string;
  title: string;
  summary: string | null;
  confidence: number;
  outlets: number;
  baseline: number;
  first_seen_at: string;
  updated_at: string;
}

interface SourceRow {
  development_id: string;
  url: string | null;
  title: string | null;
  feed_id: string | null;
  outlet: string | null;
  published_at: string | null;
  quote: string | null;
}

// D1 allows 100 bound parameters per statement.
const MAX_IDS_PER_QUERY = 90;

async function loadSources(db: D1Database, ids: string[]): Promise<Map<string, DevelopmentJson["sources"]>> {
  const byDevelopment = new Map<string, DevelopmentJson["sources"]>();
  for (let i = 0; i < ids.length; i += MAX_IDS_PER_QUERY) {
    const chunk = ids.slice(i, i + MAX_IDS_PER_QUERY);
    const { results } = await db
      .prepare(
        `SELECT development_id, url, title, feed_id, outlet, published_at, quote FROM development_sources
         WHERE development_id IN (${chunk.map(() => "?").join(",")}) ORDER BY published_at, added_at`,
      )
      .bind(...chunk)
      .all<SourceRow>();
    for (const { development_id, ...source } of results) {
      const list = byDevelopment.get(development_id) ?? [];
      list.push(source);
      byDevelopment.set(development_id, list);
    }
  }
  return byDevelopment;
}

function toJson(row: DevelopmentRow, sources: DevelopmentJson["sources"]): DevelopmentJson {
  return {
    id: row.id,
    storyline_id: row.storyline_id,
    type: row.type,
    status: row.status,
    previous_status: row.previous_status,
    facts: JSON.parse(row.facts) as Facts,
    changes: JSON.parse(row.changes) as DevelopmentJson["changes"],
    title: row.title,
    summary: row.summary,
    confidence: row.confidence,
    outlets: row.outlets,
    sources,
    first_seen_at: row.first_seen_at,
    updated_at: row.updated_at,
    baseline: row.baseline === 1,
  };
}

async function withSources(db: D1Database, rows: DevelopmentRow[]): Promise<DevelopmentJson[]> {
  const sources = await loadSources(
    db,
    rows.map((r) => r.id),
  );
  return rows.map((row) => toJson(row, sources.get(row.id) ?? []));
}

export async function getDevelopment(db: D1Database, id: string): Promise<DevelopmentJson | null> {
  const row = await db.prepare("SELECT * FROM developments WHERE id = ?").bind(id).first<DevelopmentRow>();
  if (!row) return null;
  const [development] = await withSources(db, [row]);
  return development ?? null;
}

export interface DevelopmentPage {
  developments: DevelopmentJson[];
  /** Opaque cursor for the next (older) page, or null at the end. */
  next_cursor: string | null;
}

/** Newest first; `since` keeps developments first seen at or after it. */
export async function listDevelopments(
  db: D1Database,
  storylineId: string,
  options: { since?: string; limit: number; cursor?: { firstSeenAt: string; id: string } },
): Promise<DevelopmentPage> {
  const where = ["storyline_id = ?"];
  const params: unknown[] = [storylineId];
  if (options.since) {
    where.push("first_seen_at >= ?");
    params.push(options.since);
  }
  if (options.cursor) {
    where.push("(first_seen_at < ? OR (first_seen_at = ? AND id < ?))");
    params.push(options.cursor.firstSeenAt, options.cursor.firstSeenAt, options.cursor.id);
  }
  const { results } = await db
    .prepare(`SELECT * FROM developments WHERE ${where.join(" AND ")} ORDER BY first_seen_at DESC, id DESC LIMIT ?`)
    .bind(...params, options.limit + 1)
    .all<DevelopmentRow>();
  const page = results.slice(0, options.limit);
  const last = page[page.length - 1];
  return {
    developments: await withSources(db, page),
    next_cursor: results.length > options.limit && last ? encodeCursor(last.first_seen_at, last.id) : null,
  };
}
