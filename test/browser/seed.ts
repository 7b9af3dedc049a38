/** Seed rows for the browser tests, as SQL for `wrangler d1 execute --file`. */

export const SUMMIT = { id: "putin-trump-summit", title: "Putin–Trump summit", feedKey: "fk_browser_summit_0123" };
export const MALICIOUS_TITLE = `<script>window.__pwned=1</script><img src=x onerror="window.__pwned=2">`;
export const MALICIOUS = { id: "malicious-storyline", title: MALICIOUS_TITLE, feedKey: "fk_browser_evil_0123" };
export const DEAL = { id: "grain-deal", title: "Black Sea grain deal", feedKey: "fk_browser_deal_0123" };
export const QUOTE = "The two leaders will meet on Friday in Alaska, the Kremlin said.";
export const SOURCE_URL = "https://news.example/world/summit-set-for-alaska";

/** SQL string literal (SQLite: single quotes doubled). */
const q = (value: string | number | null): string =>
  value === null ? "NULL" : typeof value === "number" ? String(value) : `'${value.replaceAll("'", "''")}'`;

const row = (table: string, values: Record<string, string | number | null>) =>
  `INSERT INTO ${table} (${Object.keys(values).join(", ")}) VALUES (${Object.values(values).map(q).join(", ")});`;

const storyline = (
  s: { id: string; title: string; feedKey: string },
  kind: string,
  status: string | null,
  facts: object,
) =>
  row("storylines", {
    id: s.id,
    title: s.title,
    kind,
    query: "summit",
    feed_key: s.feedKey,
    status,
    facts: JSON.stringify(facts),
    created_at: "2025-08-01T00:00:00.000Z",
    updated_at: "2025-08-09T12:30:00.000Z",
  });

export function seedSql(): string {
  return [
    row("feeds", {
      id: "feed_wire",
      url: "https://wire.example/rss",
      title: "Wire Service",
      created_at: "2025-08-01T00:00:00.000Z",
      last_checked_at: "2025-08-10T09:00:00.000Z",
      last_status: "ok",
      next_check_at: "2025-08-10T09:05:00.000Z",
    }),
    row("feeds", {
      id: "feed_daily",
      url: "https://daily.example/feed.xml",
      title: "The Daily",
      created_at: "2025-08-01T00:00:00.000Z",
      last_checked_at: "2025-08-10T09:00:00.000Z",
      last_status: "http_503",
      last_error: "HTTP 503 Service Unavailable",
      failing_since: "2025-08-09T06:00:00.000Z",
      consecutive_failures: 7,
      next_check_at: "2025-08-10T09:05:00.000Z",
    }),
    storyline(SUMMIT, "event", "scheduled", { date: "2025-08-15", place: "Alaska" }),
    storyline(DEAL, "agreement", "collapsed", { date: null, place: "Istanbul" }),
    storyline(MALICIOUS, "event", "proposed", { place: `<img src=x onerror="window.__pwned=3">` }),
    row("developments", {
      id: "dev_summit_scheduled",
      storyline_id: SUMMIT.id,
      dev_key: "k1",
      type: "status_change",
      status: "scheduled",
      previous_status: "agreed",
      facts: JSON.stringify({ date: "2025-08-15", place: "Alaska" }),
      changes: JSON.stringify([
        { field: "date", from: null, to: "2025-08-15" },
        { field: "place", from: null, to: "Alaska" },
      ]),
      title: "Summit set for 15 August in Alaska",
      summary: "The summit has a date and a place.",
      confidence: 0.9,
      outlets: 2,
      first_seen_at: "2025-08-09T12:30:00.000Z",
      updated_at: "2025-08-09T14:00:00.000Z",
    }),
    row("development_sources", {
      development_id: "dev_summit_scheduled",
      item_id: "itm_1",
      feed_id: "feed_wire",
      url: SOURCE_URL,
      title: "Summit set for Alaska",
      outlet: "Wire Service",
      published_at: "2025-08-09T12:00:00.000Z",
      quote: QUOTE,
      added_at: "2025-08-09T12:30:00.000Z",
    }),
    row("development_sources", {
      development_id: "dev_summit_scheduled",
      item_id: "itm_2",
      feed_id: "feed_daily",
      url: "https://daily.example/politics/alaska-summit",
      title: "Alaska to host the summit on Friday",
      outlet: "The Daily",
      published_at: "2025-08-09T13:40:00.000Z",
      quote: "Friday's meeting in Anchorage is confirmed.",
      added_at: "2025-08-09T14:00:00.000Z",
    }),
    row("developments", {
      id: "dev_evil",
      storyline_id: MALICIOUS.id,
      dev_key: "k2",
      type: "new_fact",
      status: null,
      previous_status: null,
      title: `<script>window.__pwned=4</script>Breaking`,
      summary: `<img src=x onerror="window.__pwned=5">`,
      confidence: 0.5,
      outlets: 1,
      first_seen_at: "2025-08-08T07:00:00.000Z",
      updated_at: "2025-08-08T07:00:00.000Z",
    }),
    row("development_sources", {
      development_id: "dev_evil",
      item_id: "itm_3",
      feed_id: "feed_wire",
      url: "javascript:window.__pwned=6",
      title: `<svg onload="window.__pwned=7">click me</svg>`,
      outlet: "Evil",
      published_at: "2025-08-08T06:55:00.000Z",
      quote: `</blockquote><script>window.__pwned=8</script>`,
      added_at: "2025-08-08T07:00:00.000Z",
    }),
  ].join("\n");
}
