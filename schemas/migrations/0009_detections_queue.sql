-- Detection runs on its own queue ("detections"): the poller stores a feed's items, records
-- the feed's health and queues one message per (storyline, batch of item ids). A detector
-- failure is then the storyline's, never the feed's, and a run completes only once every
-- detection it queued has finished (or was given up).

-- A detector failure lands in the storyline's own health (last_error, failing_since, 0007).

-- One row per detection message a run queued: the poller writes it 'queued' in the same
-- batch that finishes its feed; the detections consumer (or its dead-letter consumer)
-- finishes it once. The consumer may come first (it upserts), so nothing waits on a row
-- that was finished before it was written.
CREATE TABLE run_detections (
  run_id TEXT NOT NULL REFERENCES runs (id) ON DELETE CASCADE,
  detection_key TEXT NOT NULL,               -- storyline id and a digest of the item ids
  storyline_id TEXT NOT NULL,
  state TEXT NOT NULL DEFAULT 'queued' CHECK (state IN ('queued', 'done', 'failed')),
  developments INTEGER NOT NULL DEFAULT 0,
  finished_at TEXT,
  PRIMARY KEY (run_id, detection_key)
) WITHOUT ROWID;

-- A run completes when its last feed is done and no detection it queued is still queued.
DROP TRIGGER run_feeds_done;
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

CREATE TRIGGER run_detections_done
AFTER UPDATE OF state ON run_detections
WHEN OLD.state = 'queued' AND NEW.state <> 'queued'
BEGIN
  UPDATE runs SET developments = developments + NEW.developments WHERE id = NEW.run_id;
  UPDATE runs SET status = 'completed', finished_at = NEW.finished_at
  WHERE id = NEW.run_id AND status = 'running' AND feeds_checked + feeds_failed >= feeds_total
    AND NOT EXISTS (SELECT 1 FROM run_detections WHERE run_id = NEW.run_id AND state = 'queued');
END;

-- Finished before the poller recorded it queued: count it now (the poller's insert is then ignored).
CREATE TRIGGER run_detections_done_first
AFTER INSERT ON run_detections
WHEN NEW.state <> 'queued'
BEGIN
  UPDATE runs SET developments = developments + NEW.developments WHERE id = NEW.run_id;
  UPDATE runs SET status = 'completed', finished_at = NEW.finished_at
  WHERE id = NEW.run_id AND status = 'running' AND feeds_checked + feeds_failed >= feeds_total
    AND NOT EXISTS (SELECT 1 FROM run_detections WHERE run_id = NEW.run_id AND state = 'queued');
END;
