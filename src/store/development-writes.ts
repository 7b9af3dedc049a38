import type { Facts, StorylineRecord } from "../contracts";
import type { DetectionAction, SourceRef } from "../detect/types";
import { sha256Hex } from "../lib/digest";

/**
 * D1 writes for the detector's actions. Every statement is idempotent (deterministic ids,
 * ON CONFLICT on the UNIQUE keys of 0001_initial.sql), so applying the same actions twice,
 * e.g. after a crash before the detector state was saved, changes nothing the second time.
 */

/**
 * The development id is derived from the storyline incarnation and the detector's key, so a
 * re-run of the same actions addresses the same row (and the same alert event ids).
 */
export async function developmentId(storyline: Pick<StorylineRecord, "id" | "createdAt">, key: string) {
  return `dev_${(await sha256Hex(`${storyline.id}\u0000${storyline.createdAt}\u0000${key}`)).slice(0, 24)}`;
}

/** A stable fingerprint of an item's identity and text: an edited item gets a new one. */
export async function itemFingerprint(item: {
  id: string;
  url: string | null;
  title: string;
  summary: string;
  content: string;
}): Promise<string> {
  return sha256Hex([item.id, item.url ?? "", item.title, item.summary, item.content].join("\u0000"));
}

function sourceStatement(db: D1Database, developmentIdValue: string, source: SourceRef, now: string) {
  // The EXISTS guard keeps a corroboration of an unknown development from failing the batch on the FK.
  return db
    .prepare(
      `INSERT INTO development_sources (development_id, item_id, feed_id, url, title, outlet, published_at, quote, added_at)
       SELECT ?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9 WHERE EXISTS (SELECT 1 FROM developments WHERE id = ?1)
       ON CONFLICT (development_id, item_id) DO UPDATE SET
         url = excluded.url, title = excluded.title, outlet = excluded.outlet,
         published_at = excluded.published_at, quote = COALESCE(excluded.quote, development_sources.quote)`,
    )
    .bind(
      developmentIdValue,
      source.itemId,
      source.feedId,
      source.url,
      source.title,
      source.outlet,
      source.publishedAt,
      source.quote,
      now,
    );
}

export interface AppliedActions {
  /** Developments newly inserted by this call (a re-run inserts none). */
  created: Array<{ id: string; key: string; baseline: boolean; alert: boolean }>;
  /** Corroborations that asked for a development.updated alert. */
  updates: Array<{ id: string; key: string; updateKey: string }>;
  /** Developments named by create actions, inserted now or before (for alerting after a crash). */
  touched: Array<{ id: string; key: string; baseline: boolean; alert: boolean }>;
  storylineChanged: boolean;
}

/** Applies one batch of detector actions to D1 in a single atomic batch. */
export async function applyActions(
  db: D1Database,
  storyline: StorylineRecord,
  actions: DetectionAction[],
  now: string,
): Promise<AppliedActions> {
  const statements: D1PreparedStatement[] = [];
  const createIndex: Array<{ statement: number; id: string; key: string; baseline: boolean; alert: boolean }> = [];
  const updates: AppliedActions["updates"] = [];
  let storylineChanged = false;

  for (const action of actions) {
    switch (action.type) {
      case "development.create": {
        const draft = action.development;
        const id = await developmentId(storyline, draft.key);
        createIndex.push({
          statement: statements.length,
          id,
          key: draft.key,
          baseline: draft.baseline,
          alert: action.alert && !draft.baseline,
        });
        statements.push(
          db
            .prepare(
              `INSERT INTO developments (id, storyline_id, dev_key, type, status, previous_status, facts, changes,
                 title, summary, confidence, outlets, baseline, alerted, first_seen_at, updated_at)
               VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, 0, ?, ?)
               ON CONFLICT (storyline_id, dev_key) DO NOTHING`,
            )
            .bind(
              id,
              storyline.id,
              draft.key,
              draft.type,
              draft.status,
              draft.previousStatus,
              JSON.stringify(draft.facts),
              JSON.stringify(draft.changes),
              draft.title,
              draft.summary,
              draft.confidence,
              Math.max(1, action.outlets),
              draft.baseline ? 1 : 0,
              draft.firstSeenAt || now,
              now,
            ),
        );
        for (const source of action.sources) statements.push(sourceStatement(db, id, source, now));
        break;
      }
      case "development.corroborate": {
        const id = await developmentId(storyline, action.key);
        statements.push(
          db
            .prepare("UPDATE developments SET outlets = MAX(outlets, ?), updated_at = ? WHERE id = ?")
            .bind(action.outlets, now, id),
        );
        // A later report that completes the same announcement (a date, a narrower place)
        // updates the development's facts rather than making a second development.
        if (action.facts) {
          statements.push(
            db
              .prepare("UPDATE developments SET facts = ? WHERE id = ?")
              .bind(JSON.stringify(normaliseFacts(action.facts)), id),
          );
        }
        for (const source of action.sources) statements.push(sourceStatement(db, id, source, now));
        if (action.alert && action.updateKey) updates.push({ id, key: action.key, updateKey: action.updateKey });
        break;
      }
      case "storyline.update": {
        const lastId = action.developmentKey ? await developmentId(storyline, action.developmentKey) : null;
        storylineChanged = true;
        statements.push(
          db
            .prepare(
              `UPDATE storylines SET status = ?, facts = ?,
                 last_development_id = COALESCE((SELECT id FROM developments WHERE id = ?), last_development_id),
                 updated_at = ?
               WHERE id = ?`,
            )
            .bind(action.status, JSON.stringify(normaliseFacts(action.facts)), lastId, now, storyline.id),
        );
        break;
      }
    }
  }

  const results = statements.length > 0 ? await db.batch(statements) : [];
  const created = createIndex
    .filter((entry) => (results[entry.statement]?.meta.changes ?? 0) > 0)
    .map(({ statement: _, ...rest }) => rest);
  const touched = createIndex.map(({ statement: _, ...rest }) => rest);
  return { created, updates, touched, storylineChanged };
}

/** Facts with every field present: `null` means not set (../shared/DESIGN.md). */
export function normaliseFacts(facts: Facts): Facts {
  return {
    date: facts.date ?? null,
    place: facts.place ?? null,
    participants: facts.participants ?? null,
    note: facts.note ?? null,
  };
}

/** Which of these developments already went out as an alert. */
export async function alertedIds(db: D1Database, ids: string[]): Promise<Set<string>> {
  if (ids.length === 0) return new Set();
  const { results } = await db
    .prepare(`SELECT id FROM developments WHERE alerted = 1 AND id IN (${ids.map(() => "?").join(",")})`)
    .bind(...ids)
    .all<{ id: string }>();
  return new Set(results.map((r) => r.id));
}

export async function markAlerted(db: D1Database, ids: string[]): Promise<void> {
  if (ids.length === 0) return;
  await db.batch(ids.map((id) => db.prepare("UPDATE developments SET alerted = 1 WHERE id = ?").bind(id)));
}
