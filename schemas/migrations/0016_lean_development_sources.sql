-- development_sources was a rowid table with its primary key as a second b-tree: two rows
-- written per source a development gains. Every read goes by development (the key's prefix), so
-- clustered on the key, one. As run_feeds in 0011_lean_checks.sql.
CREATE TABLE development_sources_clustered (
  development_id TEXT NOT NULL REFERENCES developments (id) ON DELETE CASCADE,
  item_id TEXT NOT NULL,
  feed_id TEXT,
  url TEXT,
  title TEXT,
  outlet TEXT,
  published_at TEXT,
  quote TEXT,
  added_at TEXT NOT NULL,
  PRIMARY KEY (development_id, item_id)
) WITHOUT ROWID;
INSERT INTO development_sources_clustered
  (development_id, item_id, feed_id, url, title, outlet, published_at, quote, added_at)
  SELECT development_id, item_id, feed_id, url, title, outlet, published_at, quote, added_at FROM development_sources;
DROP TABLE development_sources;
ALTER TABLE development_sources_clustered RENAME TO development_sources;
