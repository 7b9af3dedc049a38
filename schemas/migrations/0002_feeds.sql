-- Feed ingestion: run accounting in the database itself.
-- A poll marks its run_feeds row checked/failed with `... WHERE state = 'queued'`, so a retried
-- queue message changes nothing the second time; this trigger then counts each feed exactly
-- once and completes the run when its last feed is done (one atomic statement, no read-modify-write
-- race between consumers working the same run in parallel).
CREATE TRIGGER run_feeds_done
AFTER UPDATE OF state ON run_feeds
WHEN OLD.state = 'queued' AND NEW.state <> 'queued'
BEGIN
  UPDATE runs SET
    feeds_checked = feeds_checked + (NEW.state = 'checked'),
    feeds_failed = feeds_failed + (NEW.state = 'failed'),
    items_new = items_new + NEW.items_new,
    developments = developments + NEW.developments,
    status = CASE
      WHEN status = 'running' AND feeds_checked + feeds_failed + 1 >= feeds_total THEN 'completed'
      ELSE status
    END,
    finished_at = CASE
      WHEN status = 'running' AND feeds_checked + feeds_failed + 1 >= feeds_total THEN NEW.finished_at
      ELSE finished_at
    END
  WHERE id = NEW.run_id;
END;

-- The scheduler's lease query: due feeds not held by another poller.
CREATE INDEX feeds_lease ON feeds (lease_until);
-- Retention walks items by age and skips those already pruned.
CREATE INDEX items_prunable ON items (first_seen_at) WHERE pruned_at IS NULL;

-- Set once the matching stage has taken an item (new or edited). A poll that wrote items but
-- died before matching finished leaves it NULL, and the retried poll hands those items on
-- again instead of treating them as already seen.
ALTER TABLE items ADD COLUMN dispatched_at TEXT;
