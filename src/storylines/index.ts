/**
 * Stage 2, storylines. In: a feed's new and edited items (from src/feeds). Out: one message
 * per (storyline that matched, batch of item ids) on the `detections` queue. Also the
 * storylines themselves: their queries (src/storylines/query), storylines.json and the API's
 * create, change and remove, with the baseline built from stored items.
 */
export { syncConfiguredStorylines } from "./config";
export { backfillStoryline, dispatchItemBatch, matchItems } from "./dispatch";
export { changeStoryline, createStoryline, removeStoryline } from "./service";
