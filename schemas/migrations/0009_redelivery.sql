-- When a redelivery was last asked for over the API: requests for the same delivery within a
-- short window (parallel clicks, a client retrying) are one redelivery, sent once.
ALTER TABLE deliveries ADD COLUMN redelivery_requested_at TEXT;
