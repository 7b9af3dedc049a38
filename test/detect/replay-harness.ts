/**
 * Replays a corpus in the ../shared/fixtures/FORMAT.md format through the pure detect(),
 * tick by tick, and scores it against the labels. Items reach storylines through the real
 * query matcher (src/storylines/matcher.ts over title, summary and content), never through
 * the corpus's evidence labels.
 */
import type { Facts, StoredItem, StorylineKind, StorylineRecord, StorylineStatus } from "../../src/contracts";
import { detect } from "../../src/detect/detector";
import { within } from "../../src/detect/extract/gazetteer";
import { type DetectorState, type DevelopmentDraft, initialDetectorState } from "../../src/detect/types";
import { compileMatcher, prepareItem } from "../../src/storylines/matcher";
import { defaultAlertOn } from "../../src/storylines/schema";

export interface CorpusItem {
  feed: string;
  id: string;
  title: string;
  summary: string;
  content?: string;
  link?: string;
  published: string;
  updates?: string;
}
export interface ExpectedDevelopment {
  storyline: string;
  label: string;
  required: boolean;
  status?: StorylineStatus | null;
  facts?: Facts;
  evidence?: string[];
}
export interface Corpus {
  name: string;
  storylines: Array<{
    id: string;
    title: string;
    kind: StorylineKind;
    query: string;
    alert_on?: string[];
    aliases?: Record<string, string[]>;
    participants?: StorylineRecord["participants"];
  }>;
  feeds: Array<{ id: string; title: string; format?: string }>;
  ticks: Array<{
    at: string;
    items: CorpusItem[];
    expect?: {
      developments?: ExpectedDevelopment[];
      status?: Record<string, { status: StorylineStatus | null; date?: string | null; place?: string | null }>;
    };
  }>;
}

export interface Alert {
  tick: number;
  storyline: string;
  draft: DevelopmentDraft;
  matched: string | null;
}

export interface ReplayReport {
  corpus: string;
  requiredTotal: number;
  requiredHit: number;
  recall: number;
  alerts: Alert[];
  precision: number;
  duplicates: number;
  baselineAlerts: number;
  statusAccuracy: number;
  dateAccuracy: number;
  placeAccuracy: number;
  misses: string[];
  falseAlerts: string[];
  stateMisses: string[];
}

function sameDate(a: string | null | undefined, b: string | null | undefined): boolean {
  return (a ?? null) === (b ?? null);
}

/** The place or any place that contains it (FORMAT.md). */
function placeOk(got: string | null | undefined, want: string | null | undefined): boolean {
  if (!want) return !got;
  return !!got && within(got, want);
}

function matches(draft: DevelopmentDraft, expected: ExpectedDevelopment, state: { facts: Facts }): boolean {
  if (expected.status !== undefined && draft.status !== expected.status) return false;
  const f = expected.facts ?? {};
  const facts = { ...state.facts, ...draft.facts };
  if (f.date && !sameDate(facts.date, f.date)) return false;
  if (f.place && !placeOk(facts.place, f.place)) return false;
  return true;
}

/**
 * One batch per tick; one per feed in corpus order; one per feed in reverse order (stale news
 * arrives last); or one per feed in an order shuffled per tick from a seed, as a queue delivers.
 */
export type Batching = "tick" | "feed" | "feed-reversed" | { shuffled: number };

/** A deterministic shuffle (mulberry32 over the seed and the tick). */
function shuffled<T>(list: T[], seed: number): T[] {
  let a = seed >>> 0;
  const next = () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  const out = [...list];
  for (let i = out.length - 1; i > 0; i--) {
    const j = Math.floor(next() * (i + 1));
    [out[i], out[j]] = [out[j] as T, out[i] as T];
  }
  return out;
}

export function replay(corpus: Corpus, batching: Batching = "tick"): ReplayReport {
  const feedTitles = new Map(corpus.feeds.map((f) => [f.id, f.title]));
  // RSS 0.91 items carry no date: the Worker dates them by the channel's lastBuildDate, which the
  // replay's feed server sets to the tick, and sees them a moment later.
  const publishedOf = new Map(corpus.ticks.flatMap((t) => t.items.map((i) => [i.id, i.published] as const)));
  const undatedFeeds = new Set(corpus.feeds.filter((f) => f.format === "rss091").map((f) => f.id));
  const storylines: StorylineRecord[] = corpus.storylines.map((s) => ({
    id: s.id,
    title: s.title,
    kind: s.kind,
    query: s.query,
    feeds: null,
    alertOn: (s.alert_on as StorylineRecord["alertOn"]) ?? defaultAlertOn(s.kind),
    aliases: s.aliases ?? null,
    participants: s.participants ?? null,
    source: "config",
    active: true,
    status: null,
    facts: {},
    createdAt: corpus.ticks[0]?.at ?? "",
    updatedAt: corpus.ticks[0]?.at ?? "",
  }));
  const matcher = compileMatcher(storylines.map((s) => ({ key: s.id, query: s.query })));
  const matchedBy = new Map<string, string[]>();
  for (const tick of corpus.ticks) {
    for (const i of tick.items) matchedBy.set(i.id, matcher.match(prepareItem({ ...i, content: i.content ?? "" })));
  }
  const states = new Map<string, DetectorState>(storylines.map((s) => [s.id, initialDetectorState()]));
  const alerts: Alert[] = [];
  let requiredTotal = 0;
  let requiredHit = 0;
  let duplicates = 0;
  let baselineAlerts = 0;
  let checks = 0;
  let statusOk = 0;
  let dateOk = 0;
  let placeOk_ = 0;
  const misses: string[] = [];
  const falseAlerts: string[] = [];
  const stateMisses: string[] = [];

  corpus.ticks.forEach((tick, t) => {
    const expected = tick.expect?.developments ?? [];
    const hitLabels = new Set<string>();
    for (const storyline of storylines) {
      const matched: StoredItem[] = tick.items
        .filter((i) => matchedBy.get(i.id)?.includes(storyline.id))
        .map((i) => ({
          id: i.updates ?? i.id,
          feedId: i.feed,
          feedTitle: feedTitles.get(i.feed) ?? null,
          url: i.link ?? null,
          title: i.title,
          summary: i.summary,
          content: i.content ?? "",
          author: null,
          // An edit keeps its first publication time and says when it was revised, as feeds do.
          publishedAt: undatedFeeds.has(i.feed)
            ? tick.at
            : i.updates
              ? (publishedOf.get(i.updates) ?? i.published)
              : i.published,
          revisedAt: i.updates && !undatedFeeds.has(i.feed) ? i.published : null,
          firstSeenAt: undatedFeeds.has(i.feed) ? new Date(Date.parse(tick.at) + 1000).toISOString() : tick.at,
          baseline: t === 0,
          updated: !!i.updates,
        }));
      const feeds = [...new Set(matched.map((m) => m.feedId))].sort();
      const order =
        typeof batching === "object"
          ? shuffled(feeds, batching.shuffled * 1000 + t)
          : batching === "feed-reversed"
            ? feeds.reverse()
            : feeds;
      const batches = batching === "tick" ? [matched] : order.map((feed) => matched.filter((m) => m.feedId === feed));
      const before = states.get(storyline.id) as DetectorState;
      let state = before;
      const tickAlerts: Alert[] = [];
      for (const batch of batches) {
        if (batch.length === 0) continue;
        const out = detect({ storyline, state, items: batch, now: tick.at });
        state = out.state;
        for (const action of out.actions) {
          if (action.type === "development.create" && action.alert) {
            tickAlerts.push({
              tick: t,
              storyline: storyline.id,
              draft: structuredClone(action.development),
              matched: null,
            });
          }
          // A refinement updates the development's facts (and is sent as development.updated, not a new alert).
          if (action.type === "development.corroborate" && action.facts) {
            for (const a of [...alerts, ...tickAlerts]) {
              if (a.draft.key === action.key) a.draft.facts = { ...a.draft.facts, ...action.facts };
            }
          }
        }
      }
      // Alerts are judged as their developments stand at the end of the tick.
      for (const alert of tickAlerts) {
        if (t === 0) baselineAlerts++;
        const candidates = expected.filter((e) => e.storyline === storyline.id && matches(alert.draft, e, state));
        const label = candidates.find((c) => !hitLabels.has(`${c.storyline}/${c.label}`)) ?? candidates[0] ?? null;
        alert.matched = label?.label ?? null;
        alerts.push(alert);
        if (!label) falseAlerts.push(`tick ${t} ${storyline.id}: ${alert.draft.title} [${alert.draft.key}]`);
        else if (hitLabels.has(`${label.storyline}/${label.label}`)) {
          duplicates++;
          falseAlerts.push(`tick ${t} ${storyline.id}: DUPLICATE of ${label.label}: ${alert.draft.title}`);
        } else hitLabels.add(`${label.storyline}/${label.label}`);
      }
      states.set(storyline.id, state);
      const want = tick.expect?.status?.[storyline.id];
      if (want) {
        checks++;
        const s = state.status === (want.status ?? null);
        const d = sameDate(state.facts.date, want.date);
        const p = placeOk(state.facts.place, want.place);
        if (s) statusOk++;
        if (d) dateOk++;
        if (p) placeOk_++;
        if (!s || !d || !p)
          stateMisses.push(
            `tick ${t} ${storyline.id}: got ${state.status}/${state.facts.date ?? null}/${state.facts.place ?? null}, want ${want.status}/${want.date ?? null}/${want.place ?? null}`,
          );
      }
    }
    if (t > 0) {
      for (const e of expected) {
        if (!e.required) continue;
        requiredTotal++;
        if (hitLabels.has(`${e.storyline}/${e.label}`)) requiredHit++;
        else misses.push(`tick ${t} ${e.storyline} ${e.label}: ${e.status ?? ""} ${JSON.stringify(e.facts ?? {})}`);
      }
    }
  });
  const good = alerts.filter((a) => a.matched && a.tick > 0).length - duplicates;
  const real = alerts.filter((a) => a.tick > 0).length;
  return {
    corpus: corpus.name,
    requiredTotal,
    requiredHit,
    recall: requiredTotal ? requiredHit / requiredTotal : 1,
    alerts,
    precision: real ? good / real : 1,
    duplicates,
    baselineAlerts,
    statusAccuracy: checks ? statusOk / checks : 1,
    dateAccuracy: checks ? dateOk / checks : 1,
    placeAccuracy: checks ? placeOk_ / checks : 1,
    misses,
    falseAlerts,
    stateMisses,
  };
}

export function formatReport(r: ReplayReport): string {
  const pct = (x: number) => `${(x * 100).toFixed(1)}%`;
  return [
    `corpus ${r.corpus}: recall ${r.requiredHit}/${r.requiredTotal} (${pct(r.recall)}), precision ${pct(r.precision)} of ${r.alerts.filter((a) => a.tick > 0).length} alerts, duplicates ${r.duplicates}, baseline alerts ${r.baselineAlerts}`,
    `  status ${pct(r.statusAccuracy)}, date ${pct(r.dateAccuracy)}, place ${pct(r.placeAccuracy)}`,
    ...r.misses.map((m) => `  MISS ${m}`),
    ...r.falseAlerts.map((m) => `  FALSE ${m}`),
    ...r.stateMisses.map((m) => `  STATE ${m}`),
  ].join("\n");
}
