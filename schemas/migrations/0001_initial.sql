-- storywatch D1 schema. D1 is the source of truth; KV only caches.
-- Times are ISO 8601 UTC strings (e.g. 2025-08-15T12:00:00.000Z), which sort as text.
-- Every UNIQUE constraint below is what makes re-processing idempotent: a retried queue
-- message or an overlapping cron tick writes with INSERT ... ON CONFLICT and changes nothing.

CREATE TABLE feeds (
  id TEXT PRIMARY KEY,                       -- feed_<random>
  url TEXT NOT NULL UNIQUE,                  -- normalised URL; duplicates answer 409
  title TEXT,
  site_url TEXT,
  created_at TEXT NOT NULL,
  first_checked_at TEXT,                     -- first successful fetch: its items are the feed's baseline
  last_checked_at TEXT,
  last_status TEXT,                          -- ok | not_modified | unchanged | error class (timeout, too_large, http_404, ...)
  last_http_status INTEGER,
  last_error TEXT,
  failing_since TEXT,
  consecutive_failures INTEGER NOT NULL DEFAULT 0,
  next_check_at TEXT NOT NULL,
  check_interval_s INTEGER,                  -- adapted to how often the feed publishes
  body_hash TEXT,                            -- sha-256 of the last body parsed (skip unchanged 200s)
  items_seen INTEGER NOT NULL DEFAULT 0,
  lease_until TEXT,                          -- a poller holds the feed until then (overlapping ticks)
  lease_owner TEXT
);
CREATE INDEX feeds_due ON feeds (next_check_at);

CREATE TABLE items (
  id TEXT PRIMARY KEY,                       -- itm_<random>
  feed_id TEXT NOT NULL REFERENCES feeds (id) ON DELETE CASCADE,
  item_key TEXT NOT NULL,                    -- stable identity (guid, canonical link, or content hash)
  guid TEXT,
  url TEXT,
  title TEXT,
  summary TEXT,
  content TEXT,
  author TEXT,
  published_at TEXT,
  first_seen_at TEXT NOT NULL,
  updated_at TEXT NOT NULL,
  content_hash TEXT NOT NULL,                -- changes when an item is edited in place
  baseline INTEGER NOT NULL DEFAULT 0,       -- seen on the feed's first check
  pruned_at TEXT,                            -- text dropped by retention; the identity row stays
  UNIQUE (feed_id, item_key)
);
CREATE INDEX items_feed_recent ON items (feed_id, first_seen_at DESC);
CREATE INDEX items_first_seen ON items (first_seen_at);

CREATE TABLE storylines (
  id TEXT PRIMARY KEY,                       -- slug
  title TEXT NOT NULL,
  kind TEXT NOT NULL CHECK (kind IN ('event', 'agreement', 'topic')),
  query TEXT NOT NULL,
  feeds TEXT,                                -- JSON array of feed ids; NULL = all feeds
  alert_on TEXT NOT NULL DEFAULT '["status_change","new_fact"]',
  aliases TEXT,                              -- JSON object
  source TEXT NOT NULL DEFAULT 'api' CHECK (source IN ('api', 'config')),
  active INTEGER NOT NULL DEFAULT 1,
  feed_key TEXT NOT NULL,                    -- read-only key for the Atom feed
  status TEXT,
  facts TEXT NOT NULL DEFAULT '{}',          -- JSON: date, place, participants, note
  last_development_id TEXT,
  created_at TEXT NOT NULL,
  updated_at TEXT NOT NULL
);

CREATE TABLE developments (
  id TEXT PRIMARY KEY,                       -- dev_<random>
  storyline_id TEXT NOT NULL REFERENCES storylines (id) ON DELETE CASCADE,
  dev_key TEXT NOT NULL,                     -- the detector's identity for this development
  type TEXT NOT NULL CHECK (type IN ('status_change', 'new_fact', 'coverage')),
  status TEXT,
  previous_status TEXT,
  facts TEXT NOT NULL DEFAULT '{}',
  changes TEXT NOT NULL DEFAULT '[]',
  title TEXT NOT NULL,
  summary TEXT,
  confidence REAL NOT NULL DEFAULT 0,
  outlets INTEGER NOT NULL DEFAULT 1,        -- independent outlets, wire copies counted once
  baseline INTEGER NOT NULL DEFAULT 0,
  alerted INTEGER NOT NULL DEFAULT 0,
  first_seen_at TEXT NOT NULL,
  updated_at TEXT NOT NULL,
  UNIQUE (storyline_id, dev_key)
);
CREATE INDEX developments_recent ON developments (storyline_id, first_seen_at DESC, id DESC);

CREATE TABLE development_sources (
  development_id TEXT NOT NULL REFERENCES developments (id) ON DELETE CASCADE,
  item_id TEXT NOT NULL,
  feed_id TEXT,
  url TEXT,
  title TEXT,
  outlet TEXT,
  published_at TEXT,
  quote TEXT,
  added_at TEXT NOT NULL,
  PRIMARY KEY (development_id, item_id)
);

CREATE TABLE webhooks (
  id TEXT PRIMARY KEY,                       -- wh_<random>
  url TEXT NOT NULL,
  format TEXT NOT NULL DEFAULT 'standard' CHECK (format IN ('standard', 'slack', 'discord')),
  storylines TEXT,                           -- JSON array of storyline ids; NULL = all
  event_types TEXT NOT NULL,                 -- JSON array
  secret_ciphertext TEXT NOT NULL,           -- AES-GCM, key from the WEBHOOK_SECRET_KEY secret
  created_at TEXT NOT NULL,
  disabled_at TEXT,
  disabled_reason TEXT,
  failing_since TEXT,
  consecutive_failures INTEGER NOT NULL DEFAULT 0
);

CREATE TABLE deliveries (
  id TEXT PRIMARY KEY,                       -- dlv_<random>
  webhook_id TEXT NOT NULL REFERENCES webhooks (id) ON DELETE CASCADE,
  event_id TEXT NOT NULL,                    -- e.g. the development id and its revision
  message_id TEXT NOT NULL,                  -- the webhook-id header: minted once, kept on every retry
  event_type TEXT NOT NULL,
  payload TEXT NOT NULL,
  state TEXT NOT NULL DEFAULT 'pending' CHECK (state IN ('pending', 'succeeded', 'failed', 'dead')),
  attempts INTEGER NOT NULL DEFAULT 0,
  next_attempt_at TEXT,
  last_status_code INTEGER,
  last_error TEXT,
  created_at TEXT NOT NULL,
  updated_at TEXT NOT NULL,
  UNIQUE (webhook_id, event_id)
);
CREATE INDEX deliveries_webhook ON deliveries (webhook_id, created_at DESC);
CREATE INDEX deliveries_due ON deliveries (state, next_attempt_at);

CREATE TABLE delivery_attempts (
  id INTEGER PRIMARY KEY AUTOINCREMENT,
  delivery_id TEXT NOT NULL REFERENCES deliveries (id) ON DELETE CASCADE,
  attempt INTEGER NOT NULL,
  attempted_at TEXT NOT NULL,
  status_code INTEGER,
  latency_ms INTEGER,
  error TEXT,
  next_retry_at TEXT,
  UNIQUE (delivery_id, attempt)
);

CREATE TABLE runs (
  id TEXT PRIMARY KEY,                       -- run_<random>
  trigger TEXT NOT NULL CHECK (trigger IN ('cron', 'manual')),
  status TEXT NOT NULL CHECK (status IN ('running', 'completed', 'failed')),
  started_at TEXT NOT NULL,
  finished_at TEXT,
  feeds_total INTEGER NOT NULL DEFAULT 0,
  feeds_checked INTEGER NOT NULL DEFAULT 0,
  feeds_failed INTEGER NOT NULL DEFAULT 0,
  items_new INTEGER NOT NULL DEFAULT 0,
  developments INTEGER NOT NULL DEFAULT 0,
  error TEXT
);
CREATE INDEX runs_recent ON runs (started_at DESC);

-- One row per (run, feed): a retried poll message finishes its feed once, so counters stay right.
CREATE TABLE run_feeds (
  run_id TEXT NOT NULL REFERENCES runs (id) ON DELETE CASCADE,
  feed_id TEXT NOT NULL,
  state TEXT NOT NULL DEFAULT 'queued' CHECK (state IN ('queued', 'checked', 'failed')),
  items_new INTEGER NOT NULL DEFAULT 0,
  developments INTEGER NOT NULL DEFAULT 0,
  finished_at TEXT,
  PRIMARY KEY (run_id, feed_id)
);
