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
