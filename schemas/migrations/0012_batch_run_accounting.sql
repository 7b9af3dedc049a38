-- Run accounting once per polls consumer batch, not once per feed: the run_feeds_done trigger
-- wrote the run's row for every feed finished. The batch that finishes feeds now marks their
-- run_feeds rows with its own token and adds them to the run in one statement
-- (src/store/runs.ts, finishRunFeedsStatements); runs keep their meaning and complete the same way.
DROP TRIGGER IF EXISTS run_feeds_done;
ALTER TABLE run_feeds ADD COLUMN finished_by TEXT;
