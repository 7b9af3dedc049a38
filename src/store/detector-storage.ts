/**
 * A Storyline Durable Object's own SQLite: the detector state (one row) and the items already
 * run through the detector, with the fingerprint of the text it read.
 */

const SCHEMA = `
CREATE TABLE IF NOT EXISTS detector_state (
  singleton INTEGER PRIMARY KEY CHECK (singleton = 1),
  storyline_id TEXT NOT NULL,
  storyline_created_at TEXT NOT NULL,
  state TEXT NOT NULL,
  saved_at TEXT NOT NULL
);
CREATE TABLE IF NOT EXISTS processed_items (
  item_id TEXT PRIMARY KEY,
  fingerprint TEXT NOT NULL,
  processed_at TEXT NOT NULL
);
CREATE INDEX IF NOT EXISTS processed_items_age ON processed_items (processed_at);
`;

/** Item fingerprints kept for "seen this exact text already?"; the oldest beyond this age out. */
export const MAX_PROCESSED_ITEMS = 20_000;

export interface SavedDetectorState {
  storylineId: string;
  storylineCreatedAt: string;
  /** The detector state as JSON (parsed by the detector's stage, which owns its shape). */
  state: string;
}

export function createDetectorSchema(storage: DurableObjectStorage): void {
  storage.sql.exec(SCHEMA);
}

/** Forgets the state and every processed item. */
export function forgetDetector(storage: DurableObjectStorage): void {
  storage.sql.exec("DELETE FROM detector_state; DELETE FROM processed_items;");
}

export function loadDetectorState(storage: DurableObjectStorage): SavedDetectorState | null {
  const row = storage.sql
    .exec<{ storyline_id: string; storyline_created_at: string; state: string }>(
      "SELECT storyline_id, storyline_created_at, state FROM detector_state WHERE singleton = 1",
    )
    .toArray()[0];
  return row ? { storylineId: row.storyline_id, storylineCreatedAt: row.storyline_created_at, state: row.state } : null;
}

/** The fingerprint of the text of this item the detector last read, or null. */
export function processedFingerprint(storage: DurableObjectStorage, itemId: string): string | null {
  return (
    storage.sql
      .exec<{ fingerprint: string }>("SELECT fingerprint FROM processed_items WHERE item_id = ?", itemId)
      .toArray()[0]?.fingerprint ?? null
  );
}

/** The new state and the items it has read, in one transaction; the oldest items beyond the cap age out. */
export function saveDetectorState(
  storage: DurableObjectStorage,
  saved: SavedDetectorState,
  processed: Array<{ itemId: string; fingerprint: string }>,
  now: string,
): void {
  storage.transactionSync(() => {
    const sql = storage.sql;
    sql.exec(
      `INSERT INTO detector_state (singleton, storyline_id, storyline_created_at, state, saved_at)
       VALUES (1, ?, ?, ?, ?)
       ON CONFLICT (singleton) DO UPDATE SET storyline_id = excluded.storyline_id,
         storyline_created_at = excluded.storyline_created_at, state = excluded.state, saved_at = excluded.saved_at`,
      saved.storylineId,
      saved.storylineCreatedAt,
      saved.state,
      now,
    );
    for (const { itemId, fingerprint } of processed) {
      sql.exec(
        `INSERT INTO processed_items (item_id, fingerprint, processed_at) VALUES (?, ?, ?)
         ON CONFLICT (item_id) DO UPDATE SET fingerprint = excluded.fingerprint, processed_at = excluded.processed_at`,
        itemId,
        fingerprint,
        now,
      );
    }
    sql.exec(
      `DELETE FROM processed_items WHERE item_id IN (
         SELECT item_id FROM processed_items ORDER BY processed_at DESC LIMIT -1 OFFSET ?)`,
      MAX_PROCESSED_ITEMS,
    );
  });
}
