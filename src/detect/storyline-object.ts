import { DurableObject } from "cloudflare:workers";

/**
 * One object per storyline (idFromName(storyline id)): detection for a storyline runs here,
 * serialised, so two pollers that see the same development at once raise one alert.
 * Native RPC (`stub.method()`), SQLite-backed storage.
 */
export class StorylineDetector extends DurableObject<Env> {}
