import { DurableObject } from "cloudflare:workers";
import { enqueueAlert } from "../alerts/enqueue";
import { developmentEvent } from "../alerts/events";
import type { IngestRequest, IngestResult, StoredItem } from "../contracts";
import {
  createDetectorSchema,
  forgetDetector,
  loadDetectorState,
  processedFingerprint,
  saveDetectorState,
} from "../store/detector-storage";
import { alertedIds, applyActions, itemFingerprint, markAlerted } from "../store/development-writes";
import { getDevelopment } from "../store/developments";
import { getStorylineRecord, storylineCreatedAt } from "../store/storylines";
import { detect } from "./detector";
import { parseDetectorState } from "./state";
import { type DetectorState, initialDetectorState } from "./types";

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
      createDetectorSchema(ctx.storage);
    });
  }

  /** Runs the detector over matched items for this storyline and applies what it decides. */
  ingest(request: IngestRequest): Promise<IngestResult> {
    return this.exclusive(() => this.ingestNow(request));
  }

  /** The saved detector state (null before the first batch), for inspection and backfills. */
  state(): Promise<DetectorState | null> {
    return this.exclusive(async () => {
      const saved = loadDetectorState(this.ctx.storage);
      return saved ? parseDetectorState(saved.state) : null;
    });
  }

  /**
   * Forgets everything this object knows (state and seen items), e.g. when the storyline is
   * deleted or is to be rebuilt from its items (a backfill: call reset, then ingest the items
   * again with baseline true).
   */
  reset(_storylineId?: string): Promise<void> {
    return this.exclusive(async () => {
      forgetDetector(this.ctx.storage);
    });
  }

  // The whole ingest is one critical section: awaiting D1 or the queue opens the input gate,
  // so without this a second ingest could interleave with the first and detect from stale state.
  private exclusive<T>(work: () => Promise<T>): Promise<T> {
    const run = this.tail.then(work, work);
    this.tail = run.catch(() => undefined);
    return run;
  }

  private async ingestNow(request: IngestRequest): Promise<IngestResult> {
    const { storyline } = request;
    const db = this.env.DB;
    const none: IngestResult = { developments: 0, alerts: 0 };

    // A message for a deleted storyline, or for an earlier storyline with the same id, is stale.
    if ((await storylineCreatedAt(db, storyline.id)) !== storyline.createdAt) return none;

    let saved = loadDetectorState(this.ctx.storage);
    if (saved && (saved.storylineId !== storyline.id || saved.storylineCreatedAt !== storyline.createdAt)) {
      // Same name, new storyline: start over (before reading the old one's state).
      forgetDetector(this.ctx.storage);
      saved = null;
    }

    const fresh = await this.unprocessed(request.items);
    if (fresh.length === 0) return none;

    const now = new Date().toISOString();
    const output = detect({
      storyline,
      state: saved ? parseDetectorState(saved.state) : initialDetectorState(),
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
    // The storyline as it stands after this batch (status and facts just written).
    const current = toAlert.length > 0 || updates.length > 0 ? await getStorylineRecord(db, storyline.id) : null;
    if (current) {
      for (const target of toAlert) {
        const development = await getDevelopment(db, target.id);
        if (!development || development.baseline) continue;
        await enqueueAlert(this.env, developmentEvent({ type: "development.created" }, current, development, now));
        alerts++;
      }
      for (const update of updates) {
        const development = await getDevelopment(db, update.id);
        if (!development || development.baseline) continue;
        await enqueueAlert(
          this.env,
          developmentEvent({ type: "development.updated", updateKey: update.updateKey }, current, development, now),
        );
        alerts++;
      }
      await markAlerted(
        db,
        toAlert.map((d) => d.id),
      );
    }

    // Last: the new state and the items it has seen, in one transaction of the object's storage.
    saveDetectorState(
      this.ctx.storage,
      { storylineId: storyline.id, storylineCreatedAt: storyline.createdAt, state: JSON.stringify(output.state) },
      fresh.map(({ item, fingerprint }) => ({ itemId: item.id, fingerprint })),
      now,
    );

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
      if (processedFingerprint(this.ctx.storage, item.id) === fingerprint) continue;
      out.push({ item, fingerprint });
    }
    return out;
  }
}
