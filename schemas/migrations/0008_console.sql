-- Feeds as the user manages them, and console sessions.

-- 'config': declared in storylines.json (the API answers 409 to changing or deleting it, as for
-- declared storylines); 'api': added over the API or the console.
ALTER TABLE feeds ADD COLUMN source TEXT NOT NULL DEFAULT 'api' CHECK (source IN ('api', 'config'));
-- A paused feed is never leased, by cron or by a manual run.
ALTER TABLE feeds ADD COLUMN paused_at TEXT;
-- Per-feed check interval chosen by the user; NULL = adapt to how often the feed publishes.
ALTER TABLE feeds ADD COLUMN poll_interval_s INTEGER;
-- The publisher's own floor at the last check (Cache-Control max-age, RSS <ttl>, Retry-After):
-- even a hot storyline's feed is not checked sooner than this after its last check.
ALTER TABLE feeds ADD COLUMN hint_floor_s INTEGER;

-- Console sign-in sessions. The cookie carries the id and an HMAC of it; the row is what makes
-- sign-out (and expiry) final: a deleted or expired row refuses the cookie, signed or not.
CREATE TABLE sessions (
  id TEXT PRIMARY KEY,
  created_at TEXT NOT NULL,
  expires_at TEXT NOT NULL
);
CREATE INDEX sessions_expiry ON sessions (expires_at);
