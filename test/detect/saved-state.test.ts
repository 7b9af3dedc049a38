/**
 * The Storyline object reads its saved detector state through parseDetectorState: a state saved
 * by earlier code reads on, an unreadable one fails the batch (retried, then dead-lettered)
 * without being overwritten, and an unreadable state of an earlier storyline of the same id is
 * simply forgotten.
 */
import { env, runInDurableObject } from "cloudflare:test";
import { beforeEach, describe, expect, it } from "vitest";
import type { StoredItem, StorylineRecord } from "../../src/contracts";
import { item as storyItem, storyline as storylineOf } from "./stages/fixtures";

let storyline: StorylineRecord;
const stub = () => env.STORYLINES.get(env.STORYLINES.idFromName(storyline.id));
const ingest = (items: StoredItem[]) => stub().ingest({ storyline, items, runId: null });
const savedRow = () =>
  runInDurableObject(stub(), (_instance, state) =>
    state.storage.sql
      .exec<{ state: string; storyline_created_at: string }>("SELECT state, storyline_created_at FROM detector_state")
      .one(),
  );
const overwrite = (text: string, createdAt = storyline.createdAt) =>
  runInDurableObject(stub(), (_instance, state) => {
    state.storage.sql.exec("UPDATE detector_state SET state = ?, storyline_created_at = ?", text, createdAt);
  });

function item(id: string, publishedAt: string, title: string, baseline: boolean): StoredItem {
  return { ...storyItem(`${storyline.id}-${id}`, publishedAt, title), baseline };
}

beforeEach(async () => {
  const now = new Date().toISOString();
  storyline = { ...storylineOf(), id: `saved-${crypto.randomUUID().slice(0, 8)}`, createdAt: now, updatedAt: now };
  await env.DB.prepare(
    `INSERT INTO storylines (id, title, kind, query, feed_key, created_at, updated_at)
     VALUES (?, ?, 'event', ?, 'key', ?, ?)`,
  )
    .bind(storyline.id, storyline.title, storyline.query, now, now)
    .run();
  await ingest([item("a", "2025-08-08T10:00:00Z", "Trump and Putin agree to meet in Alaska on August 15", true)]);
});

describe("the Storyline object's saved detector state", () => {
  it("reads on from a state saved before the memory knew the last move and the day of an event", async () => {
    const older = JSON.parse((await savedRow()).state);
    expect(older.version).toBe(1);
    delete older.memory.movedAt;
    delete older.memory.happenedOn;
    await overwrite(JSON.stringify(older));

    const state = await stub().state();
    expect(state?.memory).toMatchObject({ movedAt: 0, happenedOn: null });
    expect(state?.status).toBe(older.status);
    const result = await ingest([
      item("b", "2025-08-15T18:00:00Z", "Trump and Putin met in Anchorage on Friday", false),
    ]);
    expect(result.developments).toBe(1);
    expect((await stub().state())?.status).toBe("held");
  });

  it("fails a batch on an unreadable state, saying why, and leaves the state as it was", async () => {
    const unreadable = JSON.stringify({ version: 7, status: null, facts: {}, memory: {} });
    await overwrite(unreadable);
    const later = item("b", "2025-08-15T18:00:00Z", "Trump and Putin met in Anchorage on Friday", false);
    // Settled into a plain promise: expect() probing an RPC promise's properties would pipeline calls.
    const error = await ingest([later]).then(
      () => null,
      (e: unknown) => e,
    );
    expect(String(error)).toMatch(/version 7, newer than this code reads/);
    expect((await savedRow()).state).toBe(unreadable);
  });

  it("forgets an unreadable state of an earlier storyline with the same id", async () => {
    await overwrite("{not json", "2000-01-01T00:00:00.000Z");
    const result = await ingest([item("c", "2025-08-08T10:00:00Z", "Trump and Putin agree to meet in Alaska", true)]);
    expect(result.developments).toBe(1);
    expect((await savedRow()).storyline_created_at).toBe(storyline.createdAt);
  });
});
