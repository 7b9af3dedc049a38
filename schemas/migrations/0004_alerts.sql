-- Webhook delivery bookkeeping.
-- An attempt row is written (claimed) before the request goes out and finished after it, so a
-- crash in between leaves an unfinished row that a later message takes over: the receiver
-- then sees the same webhook-id again (at least once), never a lost alert.
ALTER TABLE delivery_attempts ADD COLUMN finished_at TEXT;
-- The first bytes of the receiver's answer (bounded), for the deliveries log.
ALTER TABLE delivery_attempts ADD COLUMN response_excerpt TEXT;
CREATE INDEX webhooks_enabled ON webhooks (disabled_at);
