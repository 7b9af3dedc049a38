import type { Facts, StorylineStatus } from "../contracts";
import type { DevelopmentJson } from "./developments";

/**
 * The per-storyline status snapshot in KV: what the API and the status page read often.
 * KV is a cache that may lag; D1 stays the source of truth, and nothing decides
 * "already alerted?" from it.
 */
export interface StorylineStatusSnapshot {
  storyline_id: string;
  status: StorylineStatus | null;
  facts: Facts;
  updated_at: string;
  last_development: DevelopmentJson | null;
}

export const statusSnapshotKey = (storylineId: string): string => `storyline:${storylineId}:status`;

export async function writeStatusSnapshot(kv: KVNamespace, snapshot: StorylineStatusSnapshot): Promise<void> {
  await kv.put(statusSnapshotKey(snapshot.storyline_id), JSON.stringify(snapshot));
}

export async function readStatusSnapshot(
  kv: KVNamespace,
  storylineId: string,
): Promise<StorylineStatusSnapshot | null> {
  return kv.get<StorylineStatusSnapshot>(statusSnapshotKey(storylineId), "json");
}

export async function deleteStatusSnapshot(kv: KVNamespace, storylineId: string): Promise<void> {
  await kv.delete(statusSnapshotKey(storylineId));
}
