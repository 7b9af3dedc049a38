/**
 * Storylines managed over the API: create, change, remove, each with what follows from it (a
 * new baseline, the detector forgetting). Throws domain errors; src/api answers them.
 */
import { DomainError, InvalidInput, ManagedByConfig, NotFound } from "../lib/errors";
import {
  deleteStoryline,
  getStorylineRow,
  insertStoryline,
  listStorylineRows,
  type StorylineJson,
  type StorylineRow,
  storylineJson,
  toRecord,
  unknownFeedIds,
  updateStoryline,
} from "../store/storylines";
import { backfillStoryline, restartStoryline } from "./dispatch";
import type { StorylineInput, StorylinePatch } from "./schema";

/** A storyline of this id exists already. */
export class StorylineExists extends DomainError {
  constructor(readonly id: string) {
    super(`A storyline with id "${id}" exists: choose another id, or change it with PATCH /v1/storylines/${id}.`, {
      field: "id",
    });
  }
}

async function requireKnownFeeds(db: D1Database, feeds: string[] | null | undefined): Promise<void> {
  if (!feeds) return;
  const unknown = await unknownFeedIds(db, feeds);
  if (unknown.length === 0) return;
  const problem = `names no feed: ${unknown.map((id) => `"${id}"`).join(", ")}; list feeds with GET /v1/feeds`;
  throw new InvalidInput("feeds", problem, `feeds ${problem}.`);
}

/**
 * Builds the baseline inside the request (from scratch when the kind changed): the answer then
 * shows the status the stored coverage supports, and the work is bounded (BACKFILL_LIMIT
 * items). A failure is logged, not returned: the storyline exists and sees every new item either way.
 */
async function buildBaseline(env: Env, row: StorylineRow, restart = false): Promise<StorylineRow> {
  try {
    await (restart ? restartStoryline : backfillStoryline)(env, toRecord(row));
  } catch (error) {
    console.error(`storyline ${row.id}: baseline from stored items failed:`, error);
  }
  return (await getStorylineRow(env.DB, row.id)) ?? row;
}

export async function createStoryline(env: Env, input: StorylineInput, now = new Date()): Promise<StorylineJson> {
  await requireKnownFeeds(env.DB, input.feeds);
  const row = await insertStoryline(env.DB, input, { source: "api", now: now.toISOString() });
  if (!row) throw new StorylineExists(input.id);
  return storylineJson(env.DB, await buildBaseline(env, row));
}

export async function listStorylines(env: Env): Promise<StorylineJson[]> {
  const rows = await listStorylineRows(env.DB);
  return Promise.all(rows.map((row) => storylineJson(env.DB, row)));
}

export async function getStoryline(env: Env, id: string): Promise<StorylineJson> {
  const row = await getStorylineRow(env.DB, id);
  if (!row) throw new NotFound("storyline", id);
  return storylineJson(env.DB, row);
}

/** Applies a patch; a new query, feed list or resumption rebuilds the baseline, a new kind starts over. */
export async function changeStoryline(
  env: Env,
  id: string,
  patch: StorylinePatch,
  now = new Date(),
): Promise<StorylineJson> {
  const existing = await getStorylineRow(env.DB, id);
  if (!existing) throw new NotFound("storyline", id);
  if (existing.source === "config") throw new ManagedByConfig("storyline", id, "change");
  await requireKnownFeeds(env.DB, patch.feeds);
  let row = await updateStoryline(env.DB, id, patch, now.toISOString());
  if (!row) throw new NotFound("storyline", id);
  const rematch =
    (patch.query !== undefined && patch.query !== existing.query) ||
    patch.feeds !== undefined ||
    (patch.active === true && existing.active === 0);
  const kindChanged = patch.kind !== undefined && patch.kind !== existing.kind;
  if (kindChanged || rematch) row = await buildBaseline(env, row, kindChanged);
  return storylineJson(env.DB, row);
}

/** Deletes a storyline and its developments; its detector forgets it (a new one of the same id starts afresh). */
export async function removeStoryline(env: Env, id: string): Promise<void> {
  const existing = await getStorylineRow(env.DB, id);
  if (!existing) throw new NotFound("storyline", id);
  if (existing.source === "config") throw new ManagedByConfig("storyline", id, "remove");
  await deleteStoryline(env.DB, id);
  const detector = env.STORYLINES.get(env.STORYLINES.idFromName(id));
  await detector.reset(id).catch((error: unknown) => console.error(`storyline ${id}: detector reset failed:`, error));
}
