-- Fewer rows written per new item. D1 counts every b-tree entry an INSERT touches as a row
-- written, and bills writes about a thousand times dearer than reads: the items table was a
-- rowid table with a TEXT primary key, the (feed_id, item_key) key and three time indexes,
-- six rows per insert, plus a seventh to mark it dispatched. Now: a WITHOUT ROWID table
-- clustered on id plus the (feed_id, item_key) key, two rows per insert.
--
-- What the dropped indexes served now reads instead: retention (once a day) and a new
-- storyline's backfill (once per storyline) scan items, and whether the matching stage has
-- taken an item is one marker per feed (feeds.dispatched_through) rather than a column per item.

CREATE TABLE items_lean (
  id TEXT NOT NULL PRIMARY KEY,              -- itm_<random>
  feed_id TEXT NOT NULL REFERENCES feeds (id) ON DELETE CASCADE,
  item_key TEXT NOT NULL,                    -- stable identity (guid, canonical link, or content hash)
  guid TEXT,
  url TEXT,
  title TEXT,
  summary TEXT,
  content TEXT,
  author TEXT,
  published_at TEXT,
  first_seen_at TEXT NOT NULL,
  updated_at TEXT NOT NULL,                  -- this version of the item was written
  content_hash TEXT NOT NULL,                -- changes when an item is edited in place
  baseline INTEGER NOT NULL DEFAULT 0,       -- seen on the feed's first check
  pruned_at TEXT,                            -- text dropped by retention; the identity row stays
  UNIQUE (feed_id, item_key)
) WITHOUT ROWID;

-- The matching stage has taken every item of the feed written at or before this time. A poll
-- that wrote items but died before matching finished leaves it behind their updated_at, and
-- the retried poll hands those items on again instead of treating them as already seen.
ALTER TABLE feeds ADD COLUMN dispatched_through TEXT;
UPDATE feeds SET dispatched_through = CASE
  WHEN EXISTS (SELECT 1 FROM items WHERE items.feed_id = feeds.id AND items.dispatched_at IS NULL)
    THEN (SELECT max(i.updated_at) FROM items i WHERE i.feed_id = feeds.id AND i.updated_at <
           (SELECT min(u.updated_at) FROM items u WHERE u.feed_id = feeds.id AND u.dispatched_at IS NULL))
  ELSE (SELECT max(updated_at) FROM items WHERE items.feed_id = feeds.id)
END;

INSERT INTO items_lean (id, feed_id, item_key, guid, url, title, summary, content, author, published_at,
                        first_seen_at, updated_at, content_hash, baseline, pruned_at)
  SELECT id, feed_id, item_key, guid, url, title, summary, content, author, published_at,
         first_seen_at, updated_at, content_hash, baseline, pruned_at
  FROM items;
DROP TABLE items;
ALTER TABLE items_lean RENAME TO items;
