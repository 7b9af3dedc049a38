/**
 * Below every stage: all SQL. In: what a stage asks (one function per query it needs). Out:
 * rows and plain objects. D1 is the source of truth (feeds, items, storylines, developments,
 * webhooks, deliveries, runs); a Storyline object's own SQLite holds its detector state
 * (detector-storage.ts). Stages import the module they need, e.g. "../store/feeds".
 */
export * as deliveries from "./deliveries";
export * as detectorStorage from "./detector-storage";
export * as developments from "./developments";
export * as feeds from "./feeds";
export * as items from "./items";
export * as runs from "./runs";
export * as storylines from "./storylines";
