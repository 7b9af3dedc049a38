/**
 * Load through the real pipeline in the local runtime: N feeds of 50 items and 50 storylines,
 * a manual run through the polls queue (poller → dispatch → Storyline objects), then a run in
 * which nothing changed. Only the publishers are fake. Measures wall time, D1 rows read and
 * written (summed from D1's own result meta), and, where the runner offers a probe (see
 * bench/load.vitest.config.ts), the workerd process's CPU time and peak memory.
 */
import { env, runInDurableObject } from "cloudflare:test";
import { expect } from "vitest";
import { runTick } from "../../src/feeds/scheduler";
import { scheduler } from "../../src/feeds/scheduler-object";
import { undispatchedItems, waitForRun } from "../feeds/helpers";
import { type FakeInternet, fakeInternet } from "../helpers/fake-internet";

// Taken before any fake internet is installed: the probe is the one real request a load run makes.
const realFetch = globalThis.fetch.bind(globalThis);
export const PROBE_URL = "http://load-probe.invalid/sample";

export const ITEMS_PER_FEED = 50;
export const STORYLINES = 50;

/** What the runner's probe reports about the workerd process (bench/load.vitest.config.ts). */
export interface ProcessSample {
  cpuMs: number;
  peakRssMb: number;
}

/** Reads (and with reset, restarts the peak of) the workerd process figures; null without a probe. */
async function probe(reset: boolean): Promise<ProcessSample | null> {
  try {
    const res = await realFetch(`${PROBE_URL}${reset ? "?reset=1" : ""}`);
    if (!res.ok) return null;
    return await res.json<ProcessSample>();
  } catch {
    return null;
  }
}

interface D1Totals {
  queries: number;
  rowsRead: number;
  rowsWritten: number;
  /** The same, per kind of statement ("UPDATE feeds", "INSERT INTO run_feeds"), its triggers' rows included. */
  byStatement: Map<string, { queries: number; rowsRead: number; rowsWritten: number }>;
}

/** What a statement does to which table, as its first words say: "UPDATE feeds", "SELECT … FROM items". */
export function statementKind(sql: string): string {
  const text = sql.replace(/\s+/g, " ").trim();
  const write = /^(INSERT(?: OR \w+)? INTO|UPDATE|DELETE FROM) (\w+)/i.exec(text);
  if (write) return `${write[1]?.toUpperCase()} ${write[2]}`;
  const read = /^SELECT .*? FROM (\w+)/i.exec(text);
  return read ? `SELECT … FROM ${read[1]}` : text.slice(0, 40);
}

interface D1Meta {
  meta?: { rows_read?: number; rows_written?: number };
}

type SendOrThrow = (...args: unknown[]) => Promise<D1Meta | D1Meta[]>;

/**
 * Sums D1's result meta over every query made in this isolate (the Worker, its queue
 * consumers and Durable Objects share it): the session's send method is wrapped to read the
 * meta of what the real D1 answered, and passes the answer on untouched.
 */
function countD1(): { totals: D1Totals; stop(): void } {
  const session = (env.DB as unknown as { alwaysPrimarySession: object }).alwaysPrimarySession;
  const proto = Object.getPrototypeOf(Object.getPrototypeOf(session)) as { _sendOrThrow: SendOrThrow };
  const original = proto._sendOrThrow;
  const totals: D1Totals = { queries: 0, rowsRead: 0, rowsWritten: 0, byStatement: new Map() };
  proto._sendOrThrow = async function (this: unknown, ...args: unknown[]) {
    const answer = await original.apply(this, args);
    // The send's second argument is the statement's SQL, or a batch's list of them.
    const sqls = [args[1]].flat();
    for (const [index, result] of (Array.isArray(answer) ? answer : [answer]).entries()) {
      const read = result.meta?.rows_read ?? 0;
      const written = result.meta?.rows_written ?? 0;
      totals.queries++;
      totals.rowsRead += read;
      totals.rowsWritten += written;
      const kind = statementKind(String(sqls[index] ?? ""));
      const sum = totals.byStatement.get(kind) ?? { queries: 0, rowsRead: 0, rowsWritten: 0 };
      totals.byStatement.set(kind, {
        queries: sum.queries + 1,
        rowsRead: sum.rowsRead + read,
        rowsWritten: sum.rowsWritten + written,
      });
    }
    return answer;
  };
  return { totals, stop: () => (proto._sendOrThrow = original) };
}

/** Rows read and written by the scheduler object's own SQLite (SQLite-backed Durable Objects bill rows as D1 does). */
interface ObjectRows {
  rowsRead: number;
  rowsWritten: number;
}

/**
 * Sums what the scheduler object's SQLite reports for every statement it runs (each cursor's
 * rowsRead and rowsWritten, read once the phase is over): its exec is wrapped in this isolate,
 * which the object shares with the test, and passes every cursor on untouched.
 */
async function countObjectRows(): Promise<{ stop(): Promise<ObjectRows> }> {
  const cursors: Array<{ rowsRead: number; rowsWritten: number }> = [];
  let restore = () => {};
  await runInDurableObject(scheduler(env), (_instance, state) => {
    const ours = state.storage.sql;
    const proto = Object.getPrototypeOf(ours) as { exec: SqlStorage["exec"] };
    const original = proto.exec;
    proto.exec = function (this: SqlStorage, ...args: Parameters<SqlStorage["exec"]>) {
      const cursor = original.apply(this, args);
      if (this === ours) cursors.push(cursor);
      return cursor;
    } as SqlStorage["exec"];
    restore = () => {
      proto.exec = original;
    };
  });
  return {
    async stop() {
      await runInDurableObject(scheduler(env), () => restore());
      return {
        rowsRead: cursors.reduce((sum, c) => sum + c.rowsRead, 0),
        rowsWritten: cursors.reduce((sum, c) => sum + c.rowsWritten, 0),
      };
    },
  };
}

// Synthetic news: each storyline follows one made-up subject; about one item in ten names one.
const SYLLABLES = ["kor", "val", "zen", "mira", "tas", "quon", "bel", "dray", "osk", "fen"];
const subject = (n: number) =>
  `${SYLLABLES[n % 10]}${SYLLABLES[Math.floor(n / 10) % 10]}${SYLLABLES[(n + 3) % 10]}`.replace(/^./, (c) =>
    c.toUpperCase(),
  );
const PLACES = ["Geneva", "Nairobi", "Jakarta", "Lima", "Oslo", "Doha", "Warsaw", "Hanoi"];
const ACTIONS = [
  "talks on the {s} accord resumed in {p} on Tuesday, officials said",
  "the {s} summit will take place in {p} on 14 March, the ministry announced",
  "negotiators for {s} met in {p} and agreed a framework, according to two people briefed",
  "the {s} meeting in {p} was postponed until further notice",
  "{s} signed the agreement in {p} on Friday",
];

function itemText(feed: number, item: number, round: number) {
  const n = feed * ITEMS_PER_FEED + item + round * 7919;
  const topic = n % (STORYLINES * 10);
  const who = topic < STORYLINES ? subject(topic) : `district council ${topic}`;
  const sentence = (ACTIONS[n % ACTIONS.length] ?? "")
    .replace("{s}", who)
    .replace("{p}", PLACES[n % PLACES.length] ?? "");
  return {
    title: `${who}: ${sentence.slice(0, 60)}`,
    body: `${sentence.charAt(0).toUpperCase()}${sentence.slice(1)}. Further details were expected later in the week as delegations briefed reporters on item ${n}.`,
  };
}

/** RSS 2.0 for one feed; `round` 0 is the first set of items, later rounds replace `fresh` of them. */
export function feedBody(feed: number, round = 0, fresh = 0): string {
  const items: string[] = [];
  for (let i = 0; i < ITEMS_PER_FEED; i++) {
    const itemRound = i < fresh ? round : 0;
    const { title, body } = itemText(feed, i, itemRound);
    const guid = `f${feed}-r${itemRound}-i${i}`;
    const published = new Date(Date.UTC(2026, 0, 1, 0, 0, 0) - (i + 1) * 3600_000 + itemRound * 86400_000);
    items.push(
      `<item><guid isPermaLink="false">${guid}</guid><title>${title}</title><link>https://load.example/${feed}/${guid}</link>` +
        `<description>${body}</description><pubDate>${published.toUTCString()}</pubDate></item>`,
    );
  }
  return `<?xml version="1.0" encoding="UTF-8"?><rss version="2.0"><channel><title>Load feed ${feed}</title><link>https://load.example/${feed}/</link>${items.join("")}</channel></rss>`;
}

export interface Phase {
  name: string;
  feeds: number;
  newItems: number;
  developments: number;
  wallMs: number;
  d1: D1Totals;
  /** The scheduler object's own rows. */
  object: ObjectRows;
  process: ProcessSample | null;
}

async function count(sql: string): Promise<number> {
  return (await env.DB.prepare(sql).first<{ n: number }>())?.n ?? 0;
}

/** Sets up `feeds` feeds and the storylines, directly in D1 (the API paths are tested elsewhere). */
async function seed(feeds: number): Promise<void> {
  const now = new Date().toISOString();
  const statements: D1PreparedStatement[] = [];
  for (let i = 0; i < feeds; i += 20) {
    const rows = Array.from({ length: Math.min(20, feeds - i) }, (_, j) => i + j);
    statements.push(
      env.DB.prepare(
        `INSERT INTO feeds (id, url, created_at, next_check_at) VALUES ${rows.map(() => "(?, ?, ?, ?)").join(",")}`,
      ).bind(...rows.flatMap((n) => [`feed_load${n}`, `https://load.example/${n}.xml`, now, now])),
    );
  }
  for (let s = 0; s < STORYLINES; s++) {
    statements.push(
      env.DB.prepare(
        `INSERT INTO storylines (id, title, kind, query, feed_key, created_at, updated_at)
         VALUES (?1, ?2, ?3, ?4, 'key', '2025-01-01T00:00:00.000Z', '2025-01-01T00:00:00.000Z')`,
      ).bind(`load-${s}`, `${subject(s)} talks`, s % 2 === 0 ? "event" : "topic", subject(s)),
    );
  }
  for (let i = 0; i < statements.length; i += 50) await env.DB.batch(statements.slice(i, i + 50));
}

/** One manual run over every feed, through the real polls queue, measured. */
async function measuredRun(name: string, feeds: number, internet: FakeInternet): Promise<Phase> {
  const itemsBefore = await count("SELECT count(*) AS n FROM items");
  const developmentsBefore = await count("SELECT count(*) AS n FROM developments");
  const requestsBefore = internet.requests.length;
  const before = await probe(true);
  const d1 = countD1();
  const objectRows = await countObjectRows();
  const started = Date.now();
  let done: Record<string, unknown>;
  let object: ObjectRows;
  try {
    const run = await runTick(env, "manual");
    done = await waitForRun(run?.id ?? "", 60 * 60_000);
  } finally {
    d1.stop();
    object = await objectRows.stop();
  }
  const wallMs = Date.now() - started;
  const after = await probe(false);
  expect(done).toMatchObject({ status: "completed", feeds_checked: feeds, feeds_failed: 0 });
  // Each feed fetched exactly once in the run.
  const fetched = internet.requests.slice(requestsBefore).map((r) => r.url);
  expect(fetched).toHaveLength(feeds);
  expect(new Set(fetched).size).toBe(feeds);
  const newItems = (await count("SELECT count(*) AS n FROM items")) - itemsBefore;
  expect(done.items_new).toBe(newItems);
  return {
    name,
    feeds,
    newItems,
    developments: (await count("SELECT count(*) AS n FROM developments")) - developmentsBefore,
    wallMs,
    d1: d1.totals,
    object,
    process: before && after ? { cpuMs: after.cpuMs - before.cpuMs, peakRssMb: after.peakRssMb } : null,
  };
}

/**
 * The load run: every feed new (50 items each, the feeds' baseline), then nothing changed
 * (same bodies), then a round in which 5 of each feed's 50 items are new (news: alerts owed).
 */
export async function runLoad(feeds: number): Promise<Phase[]> {
  await seed(feeds);
  const internet = fakeInternet();
  try {
    let round = 0;
    const bodies = Array.from({ length: feeds }, (_, n) => feedBody(n));
    internet.on("https://load.example/*", (request) => {
      const n = Number(new URL(request.url).pathname.replace(/\D/g, ""));
      return new Response(round === 0 ? bodies[n] : feedBody(n, round, 5), {
        headers: { "content-type": "application/rss+xml" },
      });
    });
    const phases: Phase[] = [];
    phases.push(await measuredRun("all new", feeds, internet));
    expect(phases[0]?.newItems).toBe(feeds * ITEMS_PER_FEED);
    phases.push(await measuredRun("nothing changed", feeds, internet));
    expect(phases[1]).toMatchObject({ newItems: 0, developments: 0 });
    round = 1;
    phases.push(await measuredRun("5 new per feed", feeds, internet));
    expect(phases[2]?.newItems).toBe(feeds * 5);
    // Every item reached matching: none written and left undispatched.
    expect((await undispatchedItems(Array.from({ length: feeds }, (_, n) => `feed_load${n}`))).size).toBe(0);
    // No development twice (one per detector key).
    expect(
      await count(
        "SELECT count(*) AS n FROM (SELECT storyline_id, dev_key FROM developments GROUP BY 1, 2 HAVING count(*) > 1)",
      ),
    ).toBe(0);
    return phases;
  } finally {
    internet.restore();
  }
}

/** D1 rows per unchanged check of the alternative: the lease and the next check in D1's feeds rows. */
export interface AlternativeCost {
  readPerCheck: number;
  writtenPerCheck: number;
}

/**
 * The alternative to the scheduler object, measured on the same D1 and feeds: the tick takes
 * the lease by moving each feed's next check (a non-indexed column) past the lease in one
 * conditional UPDATE (a feed whose next check is ahead is not due, so an overlapping tick
 * cannot take it), and each check's end writes the feed's time, status and real next check
 * guarded by that lease value, with a run counter per batch of 10 (the polls queue's batch).
 * Its statements only, without the per-feed mark a run needs to count a redelivered message
 * once: a lower bound of its cost.
 */
export async function measureAlternative(feeds: number): Promise<AlternativeCost> {
  const now = new Date();
  const lease = new Date(now.getTime() + 30 * 60_000).toISOString();
  await env.DB.prepare(
    "INSERT INTO runs (id, trigger, status, started_at) VALUES ('run_alternative', 'manual', 'running', ?)",
  )
    .bind(now.toISOString())
    .run();
  const d1 = countD1();
  try {
    const { results } = await env.DB.prepare(
      "UPDATE feeds SET next_check_at = ?2 WHERE paused_at IS NULL AND (?3 = 0 OR next_check_at <= ?1) RETURNING id",
    )
      .bind(now.toISOString(), lease, 0)
      .all<{ id: string }>();
    expect(results).toHaveLength(feeds);
    for (let i = 0; i < results.length; i += 10) {
      const batch = results.slice(i, i + 10);
      await env.DB.batch([
        ...batch.map(({ id }) =>
          env.DB.prepare(
            `UPDATE feeds SET last_checked_at = ?2, last_status = 'unchanged', last_http_status = 200,
               next_check_at = ?3, check_interval_s = 3600 WHERE id = ?1 AND next_check_at = ?4`,
          ).bind(id, now.toISOString(), new Date(now.getTime() + 3600_000).toISOString(), lease),
        ),
        env.DB.prepare("UPDATE runs SET feeds_checked = feeds_checked + ?2 WHERE id = ?1").bind(
          "run_alternative",
          batch.length,
        ),
      ]);
    }
  } finally {
    d1.stop();
    await env.DB.prepare("DELETE FROM runs WHERE id = 'run_alternative'").run();
  }
  return { readPerCheck: d1.totals.rowsRead / feeds, writtenPerCheck: d1.totals.rowsWritten / feeds };
}

/**
 * The choice, side by side: rows per unchanged check with the scheduler object (D1, and the
 * object's own storage) and with the lease and next check in D1.
 */
export function choiceLines(phases: Phase[], alternative: AlternativeCost): string {
  const unchanged = phases.find((p) => p.name === "nothing changed");
  if (!unchanged) throw new Error("the choice needs the 'nothing changed' run");
  const per = (n: number) => (n / unchanged.feeds).toFixed(2);
  return [
    "Leases and next checks, rows per unchanged check (written / read):",
    `  scheduler object: D1 ${per(unchanged.d1.rowsWritten)} / ${per(unchanged.d1.rowsRead)}; its own storage ${per(unchanged.object.rowsWritten)} / ${per(unchanged.object.rowsRead)}`,
    `  one conditional D1 UPDATE at the tick and one at the check's end: D1 ${alternative.writtenPerCheck.toFixed(2)} / ${alternative.readPerCheck.toFixed(2)} (a lower bound: no per-feed mark for redelivered messages)`,
  ].join("\n");
}

/** The figures table, one row per run. */
export function figuresTable(phases: Phase[]): string {
  const per = (value: number, items: number, scale: number) => (items > 0 ? (value / items) * scale : Number.NaN);
  const fmt = (n: number, digits = 1) => (Number.isFinite(n) ? n.toFixed(digits) : "–");
  const header = [
    "run",
    "feeds",
    "new items",
    "developments",
    "wall s",
    "CPU s (workerd)",
    "CPU ms / 1,000 new",
    "CPU ms / feed",
    "D1 queries",
    "D1 rows read / new",
    "D1 rows written / new",
    "D1 rows read / feed",
    "D1 rows written / feed",
    "peak RSS MB (workerd)",
  ];
  const rows = phases.map((p) => [
    p.name,
    String(p.feeds),
    String(p.newItems),
    String(p.developments),
    fmt(p.wallMs / 1000),
    p.process ? fmt(p.process.cpuMs / 1000) : "n/a",
    p.process ? fmt(per(p.process.cpuMs, p.newItems, 1000)) : "n/a",
    p.process ? fmt(p.process.cpuMs / p.feeds, 2) : "n/a",
    String(p.d1.queries),
    fmt(per(p.d1.rowsRead, p.newItems, 1), 2),
    fmt(per(p.d1.rowsWritten, p.newItems, 1), 2),
    fmt(p.d1.rowsRead / p.feeds, 2),
    fmt(p.d1.rowsWritten / p.feeds, 2),
    p.process ? fmt(p.process.peakRssMb, 0) : "n/a",
  ]);
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => (r[i] ?? "").length)));
  const line = (cells: string[]) => cells.map((c, i) => c.padStart(widths[i] ?? 0)).join(" | ");
  return [line(header), widths.map((w) => "-".repeat(w)).join("-|-"), ...rows.map(line)].join("\n");
}

/**
 * Cloudflare's published D1 rates (developers.cloudflare.com/d1/platform/pricing): the Free plan
 * allows 5 million rows read and 100,000 written a day; the Paid plan includes 25 billion read
 * and 50 million written a month, then bills $0.001 per million read and $1.00 per million written.
 */
export const D1_PLANS = {
  free: { readsPerDay: 5_000_000, writesPerDay: 100_000 },
  paid: {
    readsPerMonth: 25_000_000_000,
    writesPerMonth: 50_000_000,
    usdPerMillionRead: 0.001,
    usdPerMillionWritten: 1,
  },
} as const;
const DAYS_PER_MONTH = 30;

/**
 * D1 rows one feed check costs, from the measured runs: writes are a fixed part (the "nothing
 * changed" run) plus a part per new item ("5 new per feed"); reads of a check with news are
 * mostly its own (storylines, the feed's item keys), so a check with fewer new items is taken to
 * read what a check with 5 did (an upper bound).
 */
export interface CheckCost {
  readPerCheck: number;
  writtenPerCheck: number;
  readPerCheckWithNews: number;
  writtenPerNewItem: number;
}

export function checkCost(phases: Phase[]): CheckCost {
  const unchanged = phases.find((p) => p.name === "nothing changed");
  const news = phases.find((p) => p.name === "5 new per feed");
  if (!unchanged || !news || news.newItems === 0)
    throw new Error("the cost needs the 'nothing changed' and '5 new per feed' runs");
  const writtenPerCheck = unchanged.d1.rowsWritten / unchanged.feeds;
  return {
    readPerCheck: unchanged.d1.rowsRead / unchanged.feeds,
    writtenPerCheck,
    readPerCheckWithNews: news.d1.rowsRead / news.feeds,
    writtenPerNewItem: Math.max(0, news.d1.rowsWritten - writtenPerCheck * news.feeds) / news.newItems,
  };
}

/** Rows a day for `feeds` feeds checked every `intervalMinutes` with `newPerCheck` new items per check. */
export function rowsPerDay(cost: CheckCost, feeds: number, intervalMinutes: number, newPerCheck: number) {
  const checks = feeds * ((24 * 60) / intervalMinutes);
  return {
    read: checks * (newPerCheck > 0 ? cost.readPerCheckWithNews : cost.readPerCheck),
    written: checks * (cost.writtenPerCheck + newPerCheck * cost.writtenPerNewItem),
  };
}

/** What a month of these rows costs on the Paid plan, beyond what it includes (the plan's own $5 aside). */
export function paidUsdPerMonth(day: { read: number; written: number }): number {
  const { paid } = D1_PLANS;
  const read = Math.max(0, day.read * DAYS_PER_MONTH - paid.readsPerMonth) / 1e6;
  const written = Math.max(0, day.written * DAYS_PER_MONTH - paid.writesPerMonth) / 1e6;
  return read * paid.usdPerMillionRead + written * paid.usdPerMillionWritten;
}

/** The largest number of feeds the Free plan's daily rows allow at this interval and news rate. */
export function freePlanFeeds(cost: CheckCost, intervalMinutes: number, newPerCheck: number): number {
  const one = rowsPerDay(cost, 1, intervalMinutes, newPerCheck);
  return Math.floor(Math.min(D1_PLANS.free.writesPerDay / one.written, D1_PLANS.free.readsPerDay / one.read));
}

/** One line per plan: rows a day at 1,000 and 10,000 feeds every 15 minutes (2 new items a check), and the price. */
export function costLines(phases: Phase[]): string {
  const cost = checkCost(phases);
  const n = (x: number) => Math.round(x).toLocaleString("en-US");
  const NEW_PER_CHECK = 2;
  const fleets = [1_000, 10_000].map((feeds) => ({ feeds, day: rowsPerDay(cost, feeds, 15, NEW_PER_CHECK) }));
  const free = fleets
    .map(({ feeds, day }) => {
      const fits = day.written <= D1_PLANS.free.writesPerDay && day.read <= D1_PLANS.free.readsPerDay;
      return `${n(feeds)} feeds: ${n(day.written)} written, ${n(day.read)} read a day (${fits ? "fits" : "over the limit"})`;
    })
    .join("; ");
  const paid = fleets
    .map(
      ({ feeds, day }) =>
        `${n(feeds)} feeds: ${n(day.written)} written, ${n(day.read)} read a day, $${paidUsdPerMonth(day).toFixed(2)} a month`,
    )
    .join("; ");
  return [
    `D1 rows per feed check: ${cost.writtenPerCheck.toFixed(2)} written and ${cost.readPerCheck.toFixed(2)} read when nothing changed; ` +
      `with news, ${cost.writtenPerNewItem.toFixed(2)} more written per new item and ${cost.readPerCheckWithNews.toFixed(2)} read`,
    `every 15 minutes, ${NEW_PER_CHECK} new items a check:`,
    `  Workers Free (100,000 rows written, 5,000,000 read a day): ${free}`,
    `  Workers Paid (50 million written, 25 billion read a month included; then $1.00 / $0.001 per million): ${paid}`,
    `  Workers Free at a 10-minute interval, ${NEW_PER_CHECK} new items a check: at most ${n(freePlanFeeds(cost, 10, NEW_PER_CHECK))} feeds`,
  ].join("\n");
}

/**
 * Where a run's D1 rows go, per feed check: each kind of statement (its triggers' rows with it),
 * most rows written first. For the runs that say what a check costs.
 */
export function statementLines(phases: Phase[], names = ["nothing changed", "5 new per feed"], most = 10): string {
  const fmt = (n: number) => n.toFixed(2).padStart(7);
  return phases
    .filter((p) => names.includes(p.name))
    .map((p) => {
      const rows = [...p.d1.byStatement]
        .sort(([, a], [, b]) => b.rowsWritten - a.rowsWritten || b.rowsRead - a.rowsRead)
        .slice(0, most)
        .map(
          ([kind, sum]) =>
            `  ${fmt(sum.rowsWritten / p.feeds)} written ${fmt(sum.rowsRead / p.feeds)} read  ${kind} (${sum.queries} ${sum.queries === 1 ? "statement" : "statements"})`,
        );
      return [`D1 rows per feed check by statement, "${p.name}":`, ...rows].join("\n");
    })
    .join("\n");
}
