-- A feed's lease is its run_feeds row, queued in a running run whose lease has not expired
-- (src/store/runs.ts, startRun): taking and releasing it no longer writes the feed's row, one
-- row written per check less. The feed's own lease columns go.
ALTER TABLE runs ADD COLUMN lease_until TEXT;
UPDATE runs SET lease_until = strftime('%Y-%m-%dT%H:%M:%fZ', started_at, '+30 minutes') WHERE status = 'running';
ALTER TABLE feeds DROP COLUMN lease_owner;
ALTER TABLE feeds DROP COLUMN lease_until;
-- The tick and the poller look up the running runs (few) among all kept runs (many): written
-- once when a run starts and once when it ends.
CREATE INDEX runs_running ON runs (status) WHERE status = 'running';
