import type { ItemBatch } from "../contracts";

/**
 * The matching stage: the poller hands each feed's new and edited items here.
 * Placeholder written by the feed-ingestion work so the poller compiles and runs end to end;
 * the storylines work replaces the body (match items to storylines, call each detector).
 */
export async function dispatchItemBatch(_env: Env, _batch: ItemBatch): Promise<{ developments: number }> {
  return { developments: 0 };
}
