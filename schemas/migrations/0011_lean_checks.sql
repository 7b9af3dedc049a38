-- A check pays D1 by the row, and every index on a column it changes is one more row written.
-- The lease's expiry is read only by the scheduler's lease query, which finds due feeds by
-- next_check_at (feeds_due) and filters the few it finds: its own index cost two rows on every
-- check (lease taken, lease released) for no read it speeds up.
DROP INDEX IF EXISTS feeds_lease;
