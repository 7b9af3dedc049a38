/** Rows for the page and Atom feed tests, written straight into the local D1. */

export const SUMMIT = {
  id: "putin-trump-summit",
  title: "Putin–Trump summit",
  feedKey: "fk_summit_0123456789abcdef",
};
export const EVIL_TITLE = `<script>window.__pwned=1</script><img src=x onerror="window.__pwned=2">`;
export const EVIL = { id: "evil-storyline", title: EVIL_TITLE, feedKey: "fk_evil_0123456789abcdef" };
export const QUIET = {
  id: "quiet-topic",
  title: "A topic with no developments yet",
  feedKey: "fk_quiet_0123456789abcdef",
};

export const SCHEDULED_DEV = "dev_summit_scheduled";
export const AGREED_DEV = "dev_summit_agreed";
export const EVIL_DEV = "dev_evil_1";
export const SCHEDULED_QUOTE = "The two leaders will meet on Friday in Alaska, the Kremlin said.";
export const SCHEDULED_URL = "https://news.example/world/summit-set-for-alaska";

interface SourceSeed {
  itemId: string;
  feedId: string;
  url: string | null;
  title: string;
  outlet: string;
  publishedAt: string;
  quote: string | null;
}

export async function seedPages(db: D1Database): Promise<void> {
  const statements: D1PreparedStatement[] = [];
  const feed = (
    id: string,
    url: string,
    title: string,
    health: { lastStatus: string; failingSince?: string; lastError?: string; failures?: number },
  ) =>
    db
      .prepare(
        `INSERT OR IGNORE INTO feeds (id, url, title, created_at, first_checked_at, last_checked_at, last_status,
           last_error, failing_since, consecutive_failures, next_check_at)
         VALUES (?, ?, ?, '2025-08-01T00:00:00.000Z', '2025-08-01T00:05:00.000Z', '2025-08-10T09:00:00.000Z', ?, ?, ?, ?, '2025-08-10T09:05:00.000Z')`,
      )
      .bind(
        id,
        url,
        title,
        health.lastStatus,
        health.lastError ?? null,
        health.failingSince ?? null,
        health.failures ?? 0,
      );
  statements.push(
    feed("feed_wire", "https://wire.example/rss", "Wire Service", { lastStatus: "ok" }),
    feed("feed_daily", "https://daily.example/feed.xml", "The Daily", {
      lastStatus: "http_503",
      failingSince: "2025-08-09T06:00:00.000Z",
      lastError: "HTTP 503 Service Unavailable",
      failures: 7,
    }),
    feed("feed_evil", "https://evil.example/rss", `<script>window.__pwned=3</script>Evil Feed`, {
      lastStatus: "parse_error",
      failingSince: "2025-08-10T00:00:00.000Z",
      lastError: `<img src=x onerror="window.__pwned=4"> not a feed`,
      failures: 2,
    }),
  );

  const storyline = (
    s: { id: string; title: string; feedKey: string },
    kind: string,
    status: string | null,
    facts: object,
    feeds: string[] | null,
  ) =>
    db
      .prepare(
        `INSERT OR IGNORE INTO storylines (id, title, kind, query, feeds, feed_key, status, facts, created_at, updated_at)
         VALUES (?, ?, ?, 'Putin AND Trump AND summit', ?, ?, ?, ?, '2025-08-01T00:00:00.000Z', '2025-08-10T08:00:00.000Z')`,
      )
      .bind(s.id, s.title, kind, feeds ? JSON.stringify(feeds) : null, s.feedKey, status, JSON.stringify(facts));
  statements.push(
    storyline(SUMMIT, "event", "scheduled", { date: "2025-08-15", place: "Alaska" }, ["feed_wire", "feed_daily"]),
    storyline(EVIL, "event", "proposed", { date: null, place: `<b onmouseover="window.__pwned=5">Nowhere</b>` }, null),
    storyline(QUIET, "topic", null, {}, ["feed_wire"]),
  );

  const development = (
    id: string,
    storylineId: string,
    d: {
      type: string;
      status: string | null;
      previous: string | null;
      facts: object;
      changes: object[];
      title: string;
      summary: string;
      outlets: number;
      firstSeenAt: string;
      updatedAt: string;
    },
  ) =>
    db
      .prepare(
        `INSERT OR IGNORE INTO developments (id, storyline_id, dev_key, type, status, previous_status, facts, changes, title,
           summary, confidence, outlets, baseline, alerted, first_seen_at, updated_at)
         VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, 0.9, ?, 0, 1, ?, ?)`,
      )
      .bind(
        id,
        storylineId,
        `key:${id}`,
        d.type,
        d.status,
        d.previous,
        JSON.stringify(d.facts),
        JSON.stringify(d.changes),
        d.title,
        d.summary,
        d.outlets,
        d.firstSeenAt,
        d.updatedAt,
      );
  statements.push(
    development(AGREED_DEV, SUMMIT.id, {
      type: "status_change",
      status: "agreed",
      previous: "proposed",
      facts: {},
      changes: [{ field: "status", from: "proposed", to: "agreed" }],
      title: "Both sides agree to meet",
      summary: "Moscow and Washington confirm a summit will take place.",
      outlets: 1,
      firstSeenAt: "2025-08-07T10:00:00.000Z",
      updatedAt: "2025-08-07T10:00:00.000Z",
    }),
    development(SCHEDULED_DEV, SUMMIT.id, {
      type: "status_change",
      status: "scheduled",
      previous: "agreed",
      facts: { date: "2025-08-15", place: "Alaska" },
      changes: [
        { field: "date", from: null, to: "2025-08-15" },
        { field: "place", from: null, to: "Alaska" },
      ],
      title: "Summit set for 15 August in Alaska",
      summary: "The summit has a date and a place.",
      outlets: 2,
      firstSeenAt: "2025-08-09T12:30:00.000Z",
      updatedAt: "2025-08-09T14:00:00.000Z",
    }),
    development(EVIL_DEV, EVIL.id, {
      type: "new_fact",
      status: null,
      previous: null,
      facts: {},
      changes: [{ field: "place", from: null, to: `<script>window.__pwned=6</script>` }],
      title: `<script>window.__pwned=7</script>Breaking`,
      summary: `<img src=x onerror="window.__pwned=8">`,
      outlets: 1,
      firstSeenAt: "2025-08-10T07:00:00.000Z",
      updatedAt: "2025-08-10T07:00:00.000Z",
    }),
  );

  const source = (developmentId: string, s: SourceSeed) =>
    db
      .prepare(
        `INSERT OR IGNORE INTO development_sources (development_id, item_id, feed_id, url, title, outlet, published_at, quote, added_at)
         VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)`,
      )
      .bind(developmentId, s.itemId, s.feedId, s.url, s.title, s.outlet, s.publishedAt, s.quote, s.publishedAt);
  statements.push(
    source(AGREED_DEV, {
      itemId: "itm_1",
      feedId: "feed_wire",
      url: "https://wire.example/2025/08/07/agree",
      title: "Kremlin and White House agree on summit",
      outlet: "Wire Service",
      publishedAt: "2025-08-07T09:50:00.000Z",
      quote: "Both sides have agreed to hold a summit in the coming days.",
    }),
    source(SCHEDULED_DEV, {
      itemId: "itm_2",
      feedId: "feed_wire",
      url: SCHEDULED_URL,
      title: "Summit set for Alaska",
      outlet: "Wire Service",
      publishedAt: "2025-08-09T12:00:00.000Z",
      quote: SCHEDULED_QUOTE,
    }),
    source(SCHEDULED_DEV, {
      itemId: "itm_3",
      feedId: "feed_daily",
      url: "https://daily.example/politics/alaska-summit",
      title: "Alaska to host the summit on Friday",
      outlet: "The Daily",
      publishedAt: "2025-08-09T13:40:00.000Z",
      quote: "Friday's meeting in Anchorage is confirmed.",
    }),
    source(EVIL_DEV, {
      itemId: "itm_4",
      feedId: "feed_evil",
      url: "javascript:window.__pwned=9",
      title: `<script>window.__pwned=10</script>click me`,
      outlet: `<img src=x onerror="window.__pwned=11">`,
      publishedAt: "2025-08-10T06:55:00.000Z",
      quote: `</blockquote><script>window.__pwned=12</script>`,
    }),
  );
  await db.batch(statements);
}
