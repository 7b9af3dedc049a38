-- Leases, each run's per-feed bookkeeping and each feed's schedule as its last check left it
-- move to the scheduler's Durable Object (src/feeds/scheduler-object.ts): they change on every
-- check, and D1 bills every row (and index entry) a check writes, so an unchanged check now
-- writes nothing to D1 but its batch's one update of its run. The feeds' next_check_at,
-- last_checked_at, last_status, last_http_status, check_interval_s, body_hash, items_digest,
-- items_seen and dispatched_through stay: written with the feed's health when that changes,
-- and read under the object's newer values (a check with news changes those, not its health).
--
-- A run still running when this applies loses its feed bookkeeping: the stalled-run sweep ends
-- it (10 minutes without progress) and the next tick takes its feeds.
DROP TABLE run_feeds;
ALTER TABLE runs DROP COLUMN lease_until;
-- When a consumer batch last finished feeds of the run (its last progress, for the sweep).
ALTER TABLE runs ADD COLUMN progress_at TEXT;
