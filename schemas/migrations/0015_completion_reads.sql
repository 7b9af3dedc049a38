-- Whether a run still waits on a detection was asked with the run's id as a constant, so SQLite
-- answered it before anything else, on every finished detection: a scan of the run's
-- detections each time, while its feeds were still being polled (at 2,000 feeds with 5 new
-- items each, about 50 of a check's 64 rows read). Asked of the run's row, it runs only once the
-- run's feeds are all done. Nothing else changes (0014_quiet_detections.sql).
DROP TRIGGER run_detections_done;
CREATE TRIGGER run_detections_done
AFTER UPDATE OF state ON run_detections
WHEN OLD.state = 'queued' AND NEW.state <> 'queued'
BEGIN
  UPDATE runs SET developments = developments + NEW.developments WHERE id = NEW.run_id AND NEW.developments > 0;
  UPDATE runs SET status = 'completed', finished_at = NEW.finished_at
  WHERE id = NEW.run_id AND status = 'running' AND feeds_checked + feeds_failed >= feeds_total
    AND NOT EXISTS (SELECT 1 FROM run_detections d WHERE d.run_id = runs.id AND d.state = 'queued');
END;

DROP TRIGGER run_detections_done_first;
CREATE TRIGGER run_detections_done_first
AFTER INSERT ON run_detections
WHEN NEW.state <> 'queued'
BEGIN
  UPDATE runs SET developments = developments + NEW.developments WHERE id = NEW.run_id AND NEW.developments > 0;
  UPDATE runs SET status = 'completed', finished_at = NEW.finished_at
  WHERE id = NEW.run_id AND status = 'running' AND feeds_checked + feeds_failed >= feeds_total
    AND NOT EXISTS (SELECT 1 FROM run_detections d WHERE d.run_id = runs.id AND d.state = 'queued');
END;
