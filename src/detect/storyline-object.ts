import { DurableObject } from "cloudflare:workers";
import { enqueueAlert } from "../alerts/enqueue";
import type { AlertEvent, IngestRequest, IngestResult, StoredItem } from "../contracts";
import { alertedIds, applyActions, itemFingerprint, markAlerted } from "../store/development-writes";
import { getDevelopment } from "../store/developments";
import { storylineJson as apiStorylineJson, getStorylineRow, storylineCreatedAt } from "../store/storylines";
import { detect } from "./detector";
import { type DetectorState, initialDetectorState } from "./types";

// The object's own SQLite: the detector state (one row) and the items already run through it.
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
const MAX_PROCESSED_ITEMS = 20_000;

interface SavedState {
  storylineId: string;
  storylineCreatedAt: string;
  state: DetectorState;
}

/**
 * The storyline as alerts carry it (`data.storyline`): as the API shows it, without the
 * Atom feed key (a read credential that must not travel to third-party receivers) and
 * without last_development (the alert carries the development itself).
 */
async function alertStoryline(db: D1Database, id: string): Promise<Record<string, unknown> | null> {
  const row = await getStorylineRow(db, id);
  if (!row) return null;
  const {
    feed_key: _key,
    last_development: _last,
    last_error: _error,
    failing_since: _failing,
    ...storyline
  } = await apiStorylineJson(db, { ...row, last_development_id: null });
  return storyline;
}

/**
 * One object per storyline (idFromName(storyline id)): detection for a storyline runs here,
 * serialised, so two pollers that see the same development at once raise one alert.
 * Native RPC (`stub.method()`), SQLite-backed storage.
 *
 * Crash safety: D1 writes and alert enqueues happen first, the detector state and the
 * processed-item fingerprints are saved last. A crash in between leaves the old state, so
 * the retried batch yields the same actions, which are idempotent (deterministic
 * development ids, ON CONFLICT writes, deliveries unique per (webhook, event id)).
 */
export class StorylineDetector extends DurableObject<Env> {
  private tail: Promise<unknown> = Promise.resolve();

  constructor(ctx: DurableObjectState, env: Env) {
    super(ctx, env);
    ctx.blockConcurrencyWhile(async () => {
      ctx.storage.sql.exec(SCHEMA);
    });
  }

  /** Runs the detector over matched items for this storyline and applies what it decides. */
  ingest(request: IngestRequest): Promise<IngestResult> {
    return this.exclusive(() => this.ingestNow(request));
  }

  /** The saved detector state (null before the first batch), for inspection and backfills. */
  state(): Promise<DetectorState | null> {
    return this.exclusive(async () => this.loadState()?.state ?? null);
  }

  /**
   * Forgets everything this object knows (state and seen items), e.g. when the storyline is
   * deleted or is to be rebuilt from its items (a backfill: call reset, then ingest the items
   * again with baseline true).
   */
  reset(_storylineId?: string): Promise<void> {
    return this.exclusive(async () => {
      this.ctx.storage.sql.exec("DELETE FROM detector_state; DELETE FROM processed_items;");
    });
  }

  // The whole ingest is one critical section: awaiting D1 or the queue opens the input gate,
  // so without this a second ingest could interleave with the first and detect from stale state.
  private exclusive<T>(work: () => Promise<T>): Promise<T> {
    const run = this.tail.then(work, work);
    this.tail = run.catch(() => undefined);
    return run;
  }

  private loadState(): SavedState | null {
    const row = this.ctx.storage.sql
      .exec<{ storyline_id: string; storyline_created_at: string; state: string }>(
        "SELECT storyline_id, storyline_created_at, state FROM detector_state WHERE singleton = 1",
      )
      .toArray()[0];
    if (!row) return null;
    return {
      storylineId: row.storyline_id,
      storylineCreatedAt: row.storyline_created_at,
      state: JSON.parse(row.state) as DetectorState,
    };
  }

  private async ingestNow(request: IngestRequest): Promise<IngestResult> {
    const { storyline } = request;
    const db = this.env.DB;
    const none: IngestResult = { developments: 0, alerts: 0 };

    // A message for a deleted storyline, or for an earlier storyline with the same id, is stale.
    if ((await storylineCreatedAt(db, storyline.id)) !== storyline.createdAt) return none;

    let saved = this.loadState();
    if (saved && (saved.storylineId !== storyline.id || saved.storylineCreatedAt !== storyline.createdAt)) {
      // Same name, new storyline: start over.
      this.ctx.storage.sql.exec("DELETE FROM detector_state; DELETE FROM processed_items;");
      saved = null;
    }

    const fresh = await this.unprocessed(request.items);
    if (fresh.length === 0) return none;

    const now = new Date().toISOString();
    const output = detect({
      storyline,
      state: saved?.state ?? initialDetectorState(),
      items: fresh.map((f) => f.item),
      now,
    });

    const applied = await applyActions(db, storyline, output.actions, now);

    // Alert every alertable development of this batch that has not gone out yet: after a
    // crash, the re-run inserts nothing new but still owes the alert.
    const candidates = applied.touched.filter((d) => d.alert);
    const already = await alertedIds(
      db,
      candidates.map((d) => d.id),
    );
    const toAlert = candidates.filter((d) => !already.has(d.id));
    const updateTargets = await alertedIds(
      db,
      applied.updates.map((u) => u.id),
    );
    const updates = applied.updates.filter((u) => updateTargets.has(u.id) || toAlert.some((d) => d.id === u.id));

    let alerts = 0;
    if (toAlert.length > 0 || updates.length > 0) {
      const storylineJson = await alertStoryline(db, storyline.id);
      for (const target of toAlert) {
        const development = await getDevelopment(db, target.id);
        if (!development || development.baseline) continue;
        await enqueueAlert(
          this.env,
          this.event(`${target.id}:created`, "development.created", storyline.id, now, {
            storyline: storylineJson,
            development,
          }),
        );
        alerts++;
      }
      for (const update of updates) {
        const development = await getDevelopment(db, update.id);
        if (!development || development.baseline) continue;
        await enqueueAlert(
          this.env,
          this.event(`${update.id}:${update.updateKey}`, "development.updated", storyline.id, now, {
            storyline: storylineJson,
            development,
          }),
        );
        alerts++;
      }
      await markAlerted(
        db,
        toAlert.map((d) => d.id),
      );
    }

    // Last: the new state and the items it has seen, in one transaction of the object's storage.
    this.ctx.storage.transactionSync(() => {
      const sql = this.ctx.storage.sql;
      sql.exec(
        `INSERT INTO detector_state (singleton, storyline_id, storyline_created_at, state, saved_at)
         VALUES (1, ?, ?, ?, ?)
         ON CONFLICT (singleton) DO UPDATE SET storyline_id = excluded.storyline_id,
           storyline_created_at = excluded.storyline_created_at, state = excluded.state, saved_at = excluded.saved_at`,
        storyline.id,
        storyline.createdAt,
        JSON.stringify(output.state),
        now,
      );
      for (const { item, fingerprint } of fresh) {
        sql.exec(
          `INSERT INTO processed_items (item_id, fingerprint, processed_at) VALUES (?, ?, ?)
           ON CONFLICT (item_id) DO UPDATE SET fingerprint = excluded.fingerprint, processed_at = excluded.processed_at`,
          item.id,
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

    // Only rows inserted now: a re-run after a crash must not count its developments twice.
    return { developments: applied.created.length, alerts };
  }

  /** Drops items this object has already run through the detector with the same text. */
  private async unprocessed(items: StoredItem[]): Promise<Array<{ item: StoredItem; fingerprint: string }>> {
    const out: Array<{ item: StoredItem; fingerprint: string }> = [];
    const inBatch = new Set<string>();
    for (const item of items) {
      const fingerprint = await itemFingerprint(item);
      const key = `${item.id}\u0000${fingerprint}`;
      if (inBatch.has(key)) continue;
      inBatch.add(key);
      const seen = this.ctx.storage.sql
        .exec<{ fingerprint: string }>("SELECT fingerprint FROM processed_items WHERE item_id = ?", item.id)
        .toArray()[0];
      if (seen?.fingerprint === fingerprint) continue;
      out.push({ item, fingerprint });
    }
    return out;
  }

  private event(
    id: string,
    type: AlertEvent["type"],
    storylineId: string,
    occurredAt: string,
    data: Record<string, unknown>,
  ): AlertEvent {
    return { id, type, storylineId, occurredAt, data };
  }
}
