-- A storyline's own health (DESIGN.md): what last went wrong for it, and since when. Matching
-- failures (a query over its work budget on an item) land here, never on a feed.
ALTER TABLE storylines ADD COLUMN last_error TEXT;
ALTER TABLE storylines ADD COLUMN failing_since TEXT;
