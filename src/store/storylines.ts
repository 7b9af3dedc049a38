/** D1 access for `storylines`: CRUD for the API, the config sync's upsert, and the pipeline's view. */
import type {
  DevelopmentType,
  Facts,
  Participant,
  StorylineKind,
  StorylineRecord,
  StorylineStatus,
} from "../contracts";
import { defaultAlertOn, type StorylineInput, type StorylinePatch } from "../storylines/schema";
import { type DevelopmentJson, getDevelopment } from "./developments";

export interface StorylineRow {
  id: string;
  title: string;
  kind: StorylineKind;
  query: string;
  feeds: string | null;
  alert_on: string;
  aliases: string | null;
  participants: string | null;
  source: "api" | "config";
  active: number;
  feed_key: string;
  status: StorylineStatus | null;
  facts: string;
  last_development_id: string | null;
  created_at: string;
  updated_at: string;
  last_error: string | null;
  failing_since: string | null;
}

/** A storyline as the API shows it (../shared/DESIGN.md). */
export interface StorylineJson {
  id: string;
  title: string;
  kind: StorylineKind;
  query: string;
  feeds: string[] | null;
  alert_on: DevelopmentType[];
  aliases: Record<string, string[]> | null;
  participants: Participant[] | null;
  active: boolean;
  source: "api" | "config";
  status: StorylineStatus | null;
  facts: Required<Facts>;
  feed_key: string;
  last_development: DevelopmentJson | null;
  created_at: string;
  updated_at: string;
  /** The storyline's own health: what last went wrong for it (never a feed's failure). */
  last_error: string | null;
  failing_since: string | null;
}

/** Every fact key, null until set (DESIGN.md: "facts are null until set"). */
export function allFacts(facts: Facts): Required<Facts> {
  return {
    date: facts.date ?? null,
    place: facts.place ?? null,
    participants: facts.participants ?? null,
    note: facts.note ?? null,
  };
}

export function toRecord(row: StorylineRow): StorylineRecord {
  return {
    id: row.id,
    title: row.title,
    kind: row.kind,
    query: row.query,
    feeds: row.feeds ? (JSON.parse(row.feeds) as string[]) : null,
    alertOn: JSON.parse(row.alert_on) as DevelopmentType[],
    aliases: row.aliases ? (JSON.parse(row.aliases) as Record<string, string[]>) : null,
    participants: row.participants ? (JSON.parse(row.participants) as Participant[]) : null,
    source: row.source,
    active: row.active === 1,
    status: row.status,
    facts: JSON.parse(row.facts) as Facts,
    createdAt: row.created_at,
    updatedAt: row.updated_at,
  };
}

export async function storylineJson(db: D1Database, row: StorylineRow): Promise<StorylineJson> {
  const record = toRecord(row);
  return {
    id: row.id,
    title: row.title,
    kind: row.kind,
    query: row.query,
    feeds: record.feeds,
    alert_on: record.alertOn,
    aliases: record.aliases,
    participants: record.participants,
    active: record.active,
    source: row.source,
    status: row.status,
    facts: allFacts(record.facts),
    feed_key: row.feed_key,
    last_development: row.last_development_id ? await getDevelopment(db, row.last_development_id) : null,
    created_at: row.created_at,
    updated_at: row.updated_at,
    last_error: row.last_error ?? null,
    failing_since: row.failing_since ?? null,
  };
}

/**
 * Records that matching failed for a storyline (its query spent its work budget on an item):
 * the reason goes to the storyline's health, and failing_since keeps the first time.
 */
export async function recordStorylineFailure(db: D1Database, id: string, reason: string, now: string): Promise<void> {
  await db
    .prepare("UPDATE storylines SET last_error = ?2, failing_since = COALESCE(failing_since, ?3) WHERE id = ?1")
    .bind(id, reason, now)
    .run();
}

/** Read-only key for the storyline's Atom feed: 160 random bits, base64url. */
export function newFeedKey(): string {
  const bytes = crypto.getRandomValues(new Uint8Array(20));
  return `fk_${btoa(String.fromCharCode(...bytes))
    .replace(/\+/g, "-")
    .replace(/\//g, "_")
    .replace(/=+$/, "")}`;
}

const jsonOrNull = (value: unknown): string | null => (value == null ? null : JSON.stringify(value));

/** Inserts a storyline; null when the id is taken. */
export async function insertStoryline(
  db: D1Database,
  input: StorylineInput,
  options: { source: "api" | "config"; now: string },
): Promise<StorylineRow | null> {
  return db
    .prepare(
      `INSERT INTO storylines (id, title, kind, query, feeds, alert_on, aliases, source, active, feed_key, created_at, updated_at, participants)
       VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?11, ?12)
       ON CONFLICT (id) DO NOTHING RETURNING *`,
    )
    .bind(
      input.id,
      input.title,
      input.kind,
      input.query,
      jsonOrNull(input.feeds),
      JSON.stringify(input.alert_on ?? defaultAlertOn(input.kind)),
      jsonOrNull(input.aliases),
      options.source,
      input.active === false ? 0 : 1,
      newFeedKey(),
      options.now,
      jsonOrNull(input.participants),
    )
    .first<StorylineRow>();
}

export function getStorylineRow(db: D1Database, id: string): Promise<StorylineRow | null> {
  return db.prepare("SELECT * FROM storylines WHERE id = ?").bind(id).first<StorylineRow>();
}

export async function listStorylineRows(db: D1Database): Promise<StorylineRow[]> {
  const { results } = await db.prepare("SELECT * FROM storylines ORDER BY created_at, id").all<StorylineRow>();
  return results;
}

export async function listActiveStorylines(db: D1Database): Promise<StorylineRecord[]> {
  const { results } = await db
    .prepare("SELECT * FROM storylines WHERE active = 1 ORDER BY created_at, id")
    .all<StorylineRow>();
  const records: StorylineRecord[] = [];
  for (const row of results) {
    try {
      records.push(toRecord(row));
    } catch (error) {
      // Rows are validated on write; one edited by hand into bad JSON must not stop the others.
      console.error(`storyline ${row.id}: stored row does not parse, skipped: ${(error as Error).message}`);
    }
  }
  return records;
}

/** What matching reads of a storyline. */
export type MatchingStoryline = Pick<StorylineRecord, "id" | "query" | "feeds" | "createdAt">;

let matchingCache: { token: string; storylines: MatchingStoryline[] } | null = null;

/**
 * The active storylines as matching reads them, kept per isolate: one row read (the version
 * token that triggers renew on any change to these columns, migration 0011) instead of every
 * storyline on every check with news.
 */
export async function listMatchingStorylines(db: D1Database): Promise<MatchingStoryline[]> {
  const version = await db
    .prepare("SELECT token FROM storyline_matching_version WHERE id = 1")
    .first<{ token: string }>();
  if (version && matchingCache?.token === version.token) return matchingCache.storylines;
  const { results } = await db
    .prepare("SELECT id, query, feeds, created_at FROM storylines WHERE active = 1 ORDER BY created_at, id")
    .all<{ id: string; query: string; feeds: string | null; created_at: string }>();
  const storylines: MatchingStoryline[] = [];
  for (const row of results) {
    try {
      storylines.push({
        id: row.id,
        query: row.query,
        feeds: row.feeds ? (JSON.parse(row.feeds) as string[]) : null,
        createdAt: row.created_at,
      });
    } catch (error) {
      // Rows are validated on write; one edited by hand into bad JSON must not stop the others.
      console.error(`storyline ${row.id}: stored row does not parse, skipped: ${(error as Error).message}`);
    }
  }
  matchingCache = version ? { token: version.token, storylines } : null;
  return storylines;
}

/** The storyline as the pipeline needs it; null when there is none (or its row does not parse). */
export async function getStorylineRecord(db: D1Database, id: string): Promise<StorylineRecord | null> {
  const row = await getStorylineRow(db, id);
  if (!row) return null;
  try {
    return toRecord(row);
  } catch (error) {
    console.error(`storyline ${id}: stored row does not parse: ${(error as Error).message}`);
    return null;
  }
}

/** When the storyline of this id was created (null: none), to tell a stale detection message. */
export async function storylineCreatedAt(db: D1Database, id: string): Promise<string | null> {
  const row = await db
    .prepare("SELECT created_at FROM storylines WHERE id = ?")
    .bind(id)
    .first<{ created_at: string }>();
  return row?.created_at ?? null;
}

/** What every detection failure's last_error starts with, so a detection that works clears only those. */
export const DETECTION_FAILED = "Detection failed";

/** A detection batch of this storyline was given up: failing, keeping the detection error that got it there. */
export async function recordDetectionGivenUp(db: D1Database, id: string, error: string, now: string): Promise<void> {
  await db
    .prepare(
      `UPDATE storylines SET failing_since = COALESCE(failing_since, ?3),
         last_error = CASE WHEN substr(last_error, 1, ?4) = ?5 THEN last_error ELSE ?2 END
       WHERE id = ?1`,
    )
    .bind(id, error, now, DETECTION_FAILED.length, DETECTION_FAILED)
    .run();
}

/**
 * A detection for this storyline went through: a detection failure is over (no write when
 * there was none). A matching failure stays until the query changes.
 */
export async function recordDetectionSuccess(db: D1Database, id: string): Promise<void> {
  await db
    .prepare(
      `UPDATE storylines SET last_error = NULL, failing_since = NULL
       WHERE id = ?1 AND substr(last_error, 1, ?2) = ?3`,
    )
    .bind(id, DETECTION_FAILED.length, DETECTION_FAILED)
    .run();
}

/** Applies a patch; null when there is no such storyline. Only given fields change. */
export async function updateStoryline(
  db: D1Database,
  id: string,
  patch: StorylinePatch,
  now: string,
): Promise<StorylineRow | null> {
  const sets: string[] = [];
  const params: unknown[] = [];
  const set = (column: string, value: unknown) => {
    params.push(value);
    sets.push(`${column} = ?${params.length}`);
  };
  if (patch.title !== undefined) set("title", patch.title);
  if (patch.kind !== undefined) set("kind", patch.kind);
  if (patch.query !== undefined) {
    set("query", patch.query);
    // A new query is the fix for a query that failed: its health starts clean.
    set("last_error", null);
    set("failing_since", null);
  }
  if (patch.feeds !== undefined) set("feeds", jsonOrNull(patch.feeds));
  if (patch.alert_on !== undefined) set("alert_on", JSON.stringify(patch.alert_on));
  if (patch.aliases !== undefined) set("aliases", jsonOrNull(patch.aliases));
  if (patch.participants !== undefined) set("participants", jsonOrNull(patch.participants));
  if (patch.active !== undefined) set("active", patch.active ? 1 : 0);
  set("updated_at", now);
  params.push(id);
  return db
    .prepare(`UPDATE storylines SET ${sets.join(", ")} WHERE id = ?${params.length} RETURNING *`)
    .bind(...params)
    .first<StorylineRow>();
}

/** Deletes a storyline (its developments and their sources go with it); false when there was none. */
export async function deleteStoryline(db: D1Database, id: string): Promise<boolean> {
  const result = await db.prepare("DELETE FROM storylines WHERE id = ?").bind(id).run();
  return result.meta.changes > 0;
}

/** Whether a storyline of this id exists. */
export async function storylineExists(db: D1Database, id: string): Promise<boolean> {
  return (await db.prepare("SELECT 1 AS found FROM storylines WHERE id = ?").bind(id).first()) !== null;
}

/** The ids among `ids` that name no row of `table`. */
async function unknownIds(db: D1Database, table: "storylines" | "feeds", ids: string[]): Promise<string[]> {
  if (ids.length === 0) return [];
  // D1 allows 100 bound parameters per statement; the chunks go in one batch (one round trip).
  const statements: D1PreparedStatement[] = [];
  for (let i = 0; i < ids.length; i += 90) {
    const chunk = ids.slice(i, i + 90);
    statements.push(
      db.prepare(`SELECT id FROM ${table} WHERE id IN (${chunk.map(() => "?").join(",")})`).bind(...chunk),
    );
  }
  const known = new Set(
    (await db.batch<{ id: string }>(statements)).flatMap(({ results }) => results.map((r) => r.id)),
  );
  return ids.filter((id) => !known.has(id));
}

/** The ids among `ids` that name no storyline. */
export const unknownStorylineIds = (db: D1Database, ids: string[]) => unknownIds(db, "storylines", ids);

/** The ids among `ids` that name no feed. */
export const unknownFeedIds = (db: D1Database, ids: string[]) => unknownIds(db, "feeds", ids);

export type UpsertOutcome = "created" | "updated" | "unchanged";

/**
 * Makes a declared storyline match its declaration, marked source "config". Writes only when
 * something differs, so running it on every tick changes nothing (updated_at included) until
 * the file changes. Status, facts, feed key and creation time are kept.
 */
export async function upsertConfiguredStoryline(
  db: D1Database,
  input: StorylineInput,
  now: string,
): Promise<{ outcome: UpsertOutcome; row: StorylineRow; previousKind: string | null }> {
  const created = await insertStoryline(db, input, { source: "config", now });
  if (created) return { outcome: "created", row: created, previousKind: null };
  // The row as it stands: the answer when nothing changed, and the kind it had when something did.
  const existing = await getStorylineRow(db, input.id);
  if (!existing) throw new Error(`storyline ${input.id} vanished during the config sync`);
  const values = [
    input.title,
    input.kind,
    input.query,
    jsonOrNull(input.feeds),
    JSON.stringify(input.alert_on ?? defaultAlertOn(input.kind)),
    jsonOrNull(input.aliases),
    input.active === false ? 0 : 1,
    jsonOrNull(input.participants),
  ];
  const updated = await db
    .prepare(
      `UPDATE storylines SET title = ?1, kind = ?2, query = ?3, feeds = ?4, alert_on = ?5, aliases = ?6,
         active = ?7, participants = ?8, source = 'config', updated_at = ?9
       WHERE id = ?10 AND NOT (title IS ?1 AND kind IS ?2 AND query IS ?3 AND feeds IS ?4 AND alert_on IS ?5
         AND aliases IS ?6 AND active IS ?7 AND participants IS ?8 AND source = 'config')
       RETURNING *`,
    )
    .bind(...values, now, input.id)
    .first<StorylineRow>();
  if (updated) return { outcome: "updated", row: updated, previousKind: existing.kind };
  return { outcome: "unchanged", row: existing, previousKind: existing.kind };
}

/** Clears a storyline's status and facts (its kind changed: the detector starts over). */
export async function clearStorylineStatus(db: D1Database, id: string): Promise<void> {
  await db.prepare("UPDATE storylines SET status = NULL, facts = '{}' WHERE id = ?").bind(id).run();
}

/**
 * Pauses config storylines no longer declared (their history is kept) and hands them to the
 * API, which may then resume or delete them; returns their ids.
 */
export async function deactivateUndeclared(db: D1Database, declared: string[], now: string): Promise<string[]> {
  const { results } = await db
    .prepare(
      `UPDATE storylines SET active = 0, source = 'api', updated_at = ?1
       WHERE source = 'config' AND active = 1 AND id NOT IN (SELECT value FROM json_each(?2)) RETURNING id`,
    )
    .bind(now, JSON.stringify(declared))
    .all<{ id: string }>();
  return results.map((r) => r.id);
}

/** What decides whether a storyline is hot: its feeds, its date, and whether its status moved recently. */
export interface StorylineHeatRow {
  id: string;
  feeds: string | null;
  date: string | null;
  /** 1 when a (non-baseline) status change was first seen at or after `movedSince`. */
  moved: number;
}

export async function listStorylineHeat(db: D1Database, movedSince: string): Promise<StorylineHeatRow[]> {
  const { results } = await db
    .prepare(
      `SELECT s.id, s.feeds, json_extract(s.facts, '$.date') AS date,
         EXISTS (SELECT 1 FROM developments d WHERE d.storyline_id = s.id AND d.type = 'status_change'
                 AND d.baseline = 0 AND d.first_seen_at >= ?1) AS moved
       FROM storylines s WHERE s.active = 1`,
    )
    .bind(movedSince)
    .all<StorylineHeatRow>();
  return results;
}
