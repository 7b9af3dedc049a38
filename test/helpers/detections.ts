import { env, runInDurableObject } from "cloudflare:test";
import { expect, vi } from "vitest";
import type { DetectionMessage } from "../../src/contracts";

/** The item ids a storyline's detector has read (its Durable Object's processed_items). */
export async function processedItems(storylineId: string): Promise<Set<string>> {
  const rows = await runInDurableObject(env.STORYLINES.get(env.STORYLINES.idFromName(storylineId)), (_o, state) =>
    state.storage.sql.exec<{ item_id: string }>("SELECT item_id FROM processed_items").toArray(),
  );
  return new Set(rows.map((row) => row.item_id));
}

/** Waits until the local `detections` consumer has run every item of these messages through its storyline. */
export async function waitForDetections(messages: DetectionMessage[], timeout = 15_000): Promise<void> {
  const wanted = Map.groupBy(messages, (m) => m.storylineId);
  await vi.waitFor(
    async () => {
      for (const [storylineId, list] of wanted) {
        const seen = await processedItems(storylineId);
        expect(list.flatMap((m) => m.itemIds).filter((id) => !seen.has(id))).toEqual([]);
      }
    },
    { timeout, interval: 100 },
  );
}
