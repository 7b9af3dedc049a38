/**
 * Stage 3, detection. In: `detections` messages (a storyline and a batch of stored item ids).
 * Out: developments, status and facts in D1, and alert events for src/alerts. One Durable
 * Object per storyline runs the pure detect() serialised; a failure is the storyline's own
 * health (last_error, failing_since), retried and dead-lettered on its own messages.
 */
export { detectBatch, handleDetectionBatch, handleDetectionDeadLetters } from "./consumer";
export { detect } from "./detector";
export { StorylineDetector } from "./storyline-object";
