/**
 * Stage 1, feeds. In: a cron tick (or POST /v1/runs) and the `polls` queue. Out: new and
 * edited items stored in D1, each feed's health (fetching and parsing only), and the matched
 * items handed to src/storylines, which queues them for detection.
 *
 *   scheduler (lease due feeds, record the run) → queue "polls" → poller: fetch (conditional
 *   GET, address check per hop) → parse → normalise → store new items → match
 */
export { handlePollBatch, handlePollDeadLetters, pollFeed } from "./poller";
export { pruneHistory, pruneOldItems } from "./retention";
export { runTick, sweepStalledRuns } from "./scheduler";
export { changeFeed, createFeed, removeFeed } from "./service";
