-- Permanent redirects: where 301/308 from the feed's URL led at the last successful check, and
-- on how many checks in a row. On the third the feed's URL changes (RFC 9110 §15.4.2).
ALTER TABLE feeds ADD COLUMN redirect_url TEXT;
ALTER TABLE feeds ADD COLUMN redirect_checks INTEGER NOT NULL DEFAULT 0;

-- A feed's history: changes made to it by storywatch itself (a URL moved after permanent
-- redirects, or a move refused), newest first on its page.
CREATE TABLE feed_history (
  id INTEGER PRIMARY KEY AUTOINCREMENT,
  feed_id TEXT NOT NULL REFERENCES feeds (id) ON DELETE CASCADE,
  at TEXT NOT NULL,
  event TEXT NOT NULL,                       -- url_changed | redirect_not_followed
  detail TEXT NOT NULL
);
CREATE INDEX feed_history_feed ON feed_history (feed_id, at DESC);
