-- A finished detection adds its developments to the run: most find none, and adding 0 still
-- wrote the run's row, one D1 row per detection message. Now only a detection with
-- developments writes it; completing the run is unchanged (that statement writes only when it
-- completes the run).
DROP TRIGGER run_detections_done;
CREATE TRIGGER run_detections_done
AFTER UPDATE OF state ON run_detections
WHEN OLD.state = 'queued' AND NEW.state <> 'queued'
BEGIN
  UPDATE runs SET developments = developments + NEW.developments WHERE id = NEW.run_id AND NEW.developments > 0;
  UPDATE runs SET status = 'completed', finished_at = NEW.finished_at
  WHERE id = NEW.run_id AND status = 'running' AND feeds_checked + feeds_failed >= feeds_total
    AND NOT EXISTS (SELECT 1 FROM run_detections WHERE run_id = NEW.run_id AND state = 'queued');
END;

DROP TRIGGER run_detections_done_first;
CREATE TRIGGER run_detections_done_first
AFTER INSERT ON run_detections
WHEN NEW.state <> 'queued'
BEGIN
  UPDATE runs SET developments = developments + NEW.developments WHERE id = NEW.run_id AND NEW.developments > 0;
  UPDATE runs SET status = 'completed', finished_at = NEW.finished_at
  WHERE id = NEW.run_id AND status = 'running' AND feeds_checked + feeds_failed >= feeds_total
    AND NOT EXISTS (SELECT 1 FROM run_detections WHERE run_id = NEW.run_id AND state = 'queued');
END;
