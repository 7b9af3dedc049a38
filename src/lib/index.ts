/**
 * Helpers every stage shares, one of each: random ids, SHA-256, the text folding, the
 * pagination cursor and the domain errors. No stage logic and no I/O beyond Web Crypto.
 */
export { decodeCursor, encodeCursor, InvalidCursor } from "./cursor";
export { sha256, sha256Hex } from "./digest";
export { DomainError, InvalidInput, ManagedByConfig, NotFound } from "./errors";
export { foldText, removeInvisible } from "./fold";
export { randomId } from "./ids";
