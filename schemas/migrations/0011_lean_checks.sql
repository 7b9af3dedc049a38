-- A check pays D1 by the row, and every index on a column it changes is one more row written.
-- The lease's expiry is read only by the scheduler's lease query, which finds due feeds by
-- next_check_at (feeds_due) and filters the few it finds: its own index cost two rows on every
-- check (lease taken, lease released) for no read it speeds up.
DROP INDEX IF EXISTS feeds_lease;

-- Matching needs every active storyline's id, query and feeds on each check that finds news:
-- about a hundred rows read each time. The poller keeps them per isolate and reads this one
-- row instead; any change to what matching reads gives it a new random token (random, not a
-- counter, so a database restored to an older state can never repeat a token a cache holds).
CREATE TABLE storyline_matching_version (
  id INTEGER PRIMARY KEY CHECK (id = 1),
  token TEXT NOT NULL
);
INSERT INTO storyline_matching_version (id, token) VALUES (1, lower(hex(randomblob(8))));

CREATE TRIGGER storyline_matching_inserted AFTER INSERT ON storylines
BEGIN
  UPDATE storyline_matching_version SET token = lower(hex(randomblob(8))) WHERE id = 1;
END;
CREATE TRIGGER storyline_matching_deleted AFTER DELETE ON storylines
BEGIN
  UPDATE storyline_matching_version SET token = lower(hex(randomblob(8))) WHERE id = 1;
END;
CREATE TRIGGER storyline_matching_updated AFTER UPDATE OF id, query, feeds, active, created_at ON storylines
BEGIN
  UPDATE storyline_matching_version SET token = lower(hex(randomblob(8))) WHERE id = 1;
END;

-- What the last parsed body held, settled (stored and handed to matching): a fingerprint of
-- each item's key and content hash, with its stored publication time. A check whose body
-- changed looks up by key only the items not in it, instead of every item of the feed.
-- Written in the same UPDATE as the rest of the check's outcome: no row of its own.
ALTER TABLE feeds ADD COLUMN items_digest TEXT;

-- Every index on a column a check changes is one more row written per check. next_check_at
-- changes on every check; its index only spared the scheduler's tick a scan of the feeds table
-- (reads, a thousand times cheaper than writes, and 100,000 written against 5 million read a
-- day on the Free plan): at a 5-minute tick and a 15-minute interval the scan reads about
-- three rows per check where the index wrote one more.
DROP INDEX IF EXISTS feeds_due;

-- run_feeds was a rowid table with its primary key as a second b-tree: two rows written per
-- feed per run. Clustered on the key, one.
CREATE TABLE run_feeds_clustered (
  run_id TEXT NOT NULL REFERENCES runs (id) ON DELETE CASCADE,
  feed_id TEXT NOT NULL,
  state TEXT NOT NULL DEFAULT 'queued' CHECK (state IN ('queued', 'checked', 'failed')),
  items_new INTEGER NOT NULL DEFAULT 0,
  developments INTEGER NOT NULL DEFAULT 0,
  finished_at TEXT,
  PRIMARY KEY (run_id, feed_id)
) WITHOUT ROWID;
INSERT INTO run_feeds_clustered (run_id, feed_id, state, items_new, developments, finished_at)
  SELECT run_id, feed_id, state, items_new, developments, finished_at FROM run_feeds;
DROP TABLE run_feeds;
ALTER TABLE run_feeds_clustered RENAME TO run_feeds;

-- Dropped with the old table; as in 0009.
CREATE TRIGGER run_feeds_done
AFTER UPDATE OF state ON run_feeds
WHEN OLD.state = 'queued' AND NEW.state <> 'queued'
BEGIN
  UPDATE runs SET
    feeds_checked = feeds_checked + (NEW.state = 'checked'),
    feeds_failed = feeds_failed + (NEW.state = 'failed'),
    items_new = items_new + NEW.items_new,
    developments = developments + NEW.developments
  WHERE id = NEW.run_id;
  UPDATE runs SET status = 'completed', finished_at = NEW.finished_at
  WHERE id = NEW.run_id AND status = 'running' AND feeds_checked + feeds_failed >= feeds_total
    AND NOT EXISTS (SELECT 1 FROM run_detections WHERE run_id = NEW.run_id AND state = 'queued');
END;
