/**
 * detect(): the pure detector. Items are read in publication order; each firm claim that
 * moves the storyline's state opens (or, within one batch and a short window, extends) a
 * development; reports that say what is already known corroborate the development they
 * repeat, found by near-duplicate text (SimHash), by shared facts or by time. Wire copies
 * add a source but not an outlet. No clock, no randomness: keys come from item ids.
 */
import type { DevelopmentType, Facts, StoredItem, StorylineRecord, StorylineStatus } from "../contracts";
import { splitWords } from "../storylines/query";
import { type Anchors, groupsHit } from "./anchors";
import { type Claim, extract, type Reading, readingContext } from "./extract";
import { within } from "./extract/gazetteer";
import { hamming, NEAR_DUPLICATE_BITS, type SimHash, simhash } from "./simhash";
import { advance, restates, roundsOf, type StoryState, voidPassedDate } from "./status";
import { digest } from "./text";
import type { Detect, DetectionAction, DetectorState, DevelopmentDraft, FactChange, SourceRef } from "./types";

interface ItemMemo {
  /** Digest of the item's text, to see an edit. */
  h: string;
  /** Development it was counted in. */
  d: string | null;
  s: SimHash;
  o: string;
}

interface DevMemo {
  key: string;
  status: StorylineStatus | null;
  facts: Facts;
  first: number;
  last: number;
  /** Independent outlets (wire copies collapsed). */
  outlets: string[];
  alerted: boolean;
  baseline: boolean;
  updates: string[];
  /** Coverage clusters: content-word stems, to join rewrites of the same story. */
  stems?: string[];
}

interface Memory {
  items: Record<string, ItemMemo>;
  order: string[];
  devs: DevMemo[];
  current: string | null;
  /** Publication time (ms) of the item that last moved the state. */
  movedAt: number;
  /**
   * A date reported as already come ("reached a deal in Vienna on July 14", published that day):
   * the day something happened, not a plan, so its passing voids nothing.
   */
  happenedOn: string | null;
}

const MAX_ITEMS = 1500;
const MAX_DEVS = 150;
const MERGE_WINDOW_MS = 72 * 3_600_000;
const CORROBORATE_WINDOW_MS = 6 * 86_400_000;
const COVERAGE_WINDOW_MS = 2 * 86_400_000;
const COPY_BITS = NEAR_DUPLICATE_BITS;
const REFINE_WINDOW_MS = 48 * 3_600_000;

/** Same status, and only facts filled in: a date where there was none, a place inside the known one. */
function refines(before: StoryState, after: StoryState): boolean {
  if (before.status !== after.status) return false;
  const d0 = before.facts.date ?? null;
  const d1 = after.facts.date ?? null;
  const p0 = before.facts.place ?? null;
  const p1 = after.facts.place ?? null;
  const dateOk = d0 === d1 || (d0 === null && d1 !== null);
  const placeOk = p0 === p1 || (p1 !== null && (p0 === null || within(p1, p0)));
  const n0 = before.facts.note ?? null;
  const n1 = after.facts.note ?? null;
  // The same later step told in other words ("ratified" by one outlet, "approved" by the next).
  if (d0 === d1 && p0 === p1 && n0 !== null && n1 !== null && n0 !== n1) return true;
  return dateOk && placeOk && (d0 !== d1 || p0 !== p1) && n0 === n1;
}
const TOPIC_BITS = 20;
const MAX_STEMS = 60;
const STOPWORDS = new Set(
  "the a an of to in on and for at by with from as is are was were be been has have had it its his her their this that these those than then after before over under into about said says say will would could may might also more most new not no but or which who what when where while".split(
    " ",
  ),
);

/** Content-word stems (4 letters) of a text, without the query's own words. */
function topicStems(text: string, anchors: Anchors): string[] {
  const out: string[] = [];
  for (const word of splitWords(text)) {
    if (word.length < 3 || STOPWORDS.has(word) || /^\d+$/.test(word)) continue;
    if (groupsHit(anchors, word) > 0) continue;
    const stem = word.slice(0, 4);
    if (!out.includes(stem)) out.push(stem);
  }
  return out;
}

/** Two reports of the same story share a good part of their content words. */
function similar(a: string[], b: string[]): boolean {
  if (a.length === 0 || b.length === 0) return false;
  let shared = 0;
  for (const w of a) if (b.includes(w)) shared++;
  return shared >= 4 && shared / Math.min(a.length, b.length) >= 0.25;
}

function loadMemory(state: DetectorState): Memory {
  const m = structuredClone(state.memory) as Partial<Memory>;
  return {
    items: m.items ?? {},
    order: m.order ?? [],
    devs: m.devs ?? [],
    current: m.current ?? null,
    movedAt: m.movedAt ?? 0,
    happenedOn: m.happenedOn ?? null,
  };
}

function outletOf(item: StoredItem): string {
  if (item.feedTitle) return item.feedTitle;
  if (item.url) {
    const host = /^[a-z]+:\/\/([^/:?#]+)/i.exec(item.url)?.[1];
    if (host) return host.replace(/^www\./, "");
  }
  return item.feedId;
}

function sourceRef(item: StoredItem, quote: string | null): SourceRef {
  return {
    itemId: item.id,
    feedId: item.feedId,
    url: item.url,
    title: item.title,
    outlet: outletOf(item),
    publishedAt: item.publishedAt,
    quote,
  };
}

const MONTH_NAMES = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"];

function formatDay(iso: string): string {
  const [y, m, d] = iso.split("-");
  return `${Number(d)} ${MONTH_NAMES[Number(m) - 1]} ${y}`;
}

export function formatDate(date: string): string {
  const [a, b] = date.split("/");
  return b ? `${formatDay(a as string)}–${formatDay(b)}` : formatDay(a as string);
}

const STATUS_LABEL: Record<StorylineStatus, string> = {
  proposed: "Proposed",
  agreed: "Agreed",
  scheduled: "Scheduled",
  postponed: "Postponed",
  cancelled: "Cancelled",
  held: "Held",
  negotiating: "Negotiating",
  signed: "Signed",
  in_force: "In force",
  suspended: "Suspended",
  collapsed: "Collapsed",
};

function factParts(facts: Facts): string[] {
  const parts: string[] = [];
  if (facts.date) parts.push(formatDate(facts.date));
  if (facts.place) parts.push(facts.place);
  return parts;
}

function titleFor(
  type: DevelopmentType,
  status: StorylineStatus | null,
  facts: Facts,
  changes: FactChange[],
  fallback: string,
): string {
  // No outlet count in the title: the count grows after the alert, and every place that shows
  // the development's own `outlets` instead, so they never disagree.
  if (type === "status_change" && status) {
    const parts = factParts(facts);
    return `${STATUS_LABEL[status]}: ${parts.length ? parts.join(", ") : fallback}`;
  }
  if (type === "new_fact") {
    const fields = changes.map((c) => c.field);
    if (fields.includes("date") && facts.date) return `New date: ${factParts(facts).join(", ")}`;
    if (fields.includes("place") && facts.place) return `New place: ${facts.place}`;
    if (fields.includes("date") || fields.includes("place")) return `Date or place withdrawn: ${fallback}`;
    if (facts.note) return `Update: ${facts.note}`;
  }
  return fallback;
}

function diff(before: StoryState, after: StoryState): FactChange[] {
  const changes: FactChange[] = [];
  if (before.status !== after.status) changes.push({ field: "status", from: before.status, to: after.status });
  for (const field of ["date", "place", "note"] as const) {
    const from = before.facts[field] ?? null;
    const to = after.facts[field] ?? null;
    if (from !== to) changes.push({ field, from, to });
  }
  return changes;
}

interface OpenDevelopment {
  key: string;
  before: StoryState;
  after: StoryState;
  first: StoredItem;
  firstMs: number;
  sources: SourceRef[];
  outlets: string[];
  hashes: SimHash[];
  baseline: boolean;
  certainty: number;
  quote: string;
  coverage: boolean;
  /** Content-word stems of a coverage cluster (query words left out: every item has them). */
  stems: string[];
}

/**
 * An undated item carries the time it was first seen (src/feeds/normalise.ts): it is new when
 * seen, and it sets no story clock, since its real time is unknown.
 */
function isDated(item: StoredItem): boolean {
  return item.publishedAt !== item.firstSeenAt;
}

export const detect: Detect = ({ storyline, state, items, now }) => {
  const memory = loadMemory(state);
  const ctx = readingContext(storyline);
  const { anchors, participants } = ctx;
  const rounds = roundsOf(storyline.title);
  let story: StoryState = { status: state.status, facts: { ...state.facts } };
  const startState = story;
  const actions: DetectionAction[] = [];
  const corroborations = new Map<string, { sources: SourceRef[]; before: number; dev: DevMemo; facts?: Facts }>();
  let open: OpenDevelopment | null = null;
  let lastKey: string | null = null;

  const devByKey = (key: string | null) => (key ? (memory.devs.find((d) => d.key === key) ?? null) : null);
  /** Remembers whether a newly set date was a plan (voided if it passes unreported) or the day it happened. */
  const noteDate = (before: StoryState, after: StoryState, item: StoredItem) => {
    const date = after.facts.date ?? null;
    if (date === (before.facts.date ?? null)) return;
    memory.happenedOn = date && date.slice(0, 10) <= item.publishedAt.slice(0, 10) ? date : null;
  };

  /** The parties: the storyline's own (from its title and aliases) and the actors of every claim that moved it. */
  const withParticipants = (next: StoryState, claim: Claim): StoryState => {
    const all = new Set([...(story.facts.participants ?? []), ...participants, ...claim.actors]);
    if (all.size === 0) return next;
    return { ...next, facts: { ...next.facts, participants: [...all].sort() } };
  };

  const flush = () => {
    if (!open) return;
    const o = open;
    open = null;
    const changes = diff(o.before, o.after);
    const statusChanged = changes.some((c) => c.field === "status");
    const type: DevelopmentType = o.coverage
      ? "coverage"
      : statusChanged
        ? "status_change"
        : changes.length
          ? "new_fact"
          : "coverage";
    if (type !== "coverage" && changes.length === 0) return;
    const newFacts: Facts = {};
    if (o.after.facts.date !== undefined) newFacts.date = o.after.facts.date ?? null;
    if (o.after.facts.place !== undefined) newFacts.place = o.after.facts.place ?? null;
    if (changes.some((c) => c.field === "note")) newFacts.note = o.after.facts.note ?? null;
    if (o.after.facts.participants) newFacts.participants = o.after.facts.participants;
    const fallback = type === "coverage" ? o.first.title : storyline.title;
    const title = titleFor(type, o.after.status, o.after.facts, changes, fallback);
    const transition =
      type === "status_change"
        ? `${o.before.status ?? "no status"} → ${o.after.status}. `
        : type === "new_fact"
          ? ""
          : "";
    const alert = !o.baseline && storyline.alertOn.includes(type);
    const draft: DevelopmentDraft = {
      key: o.key,
      type,
      status: type === "coverage" ? story.status : o.after.status,
      previousStatus: o.before.status,
      facts: newFacts,
      changes,
      title,
      summary: `${storyline.title}: ${transition}“${o.quote.slice(0, 280)}” (${o.sources[0]?.outlet ?? "unknown"})`,
      confidence: Math.round(Math.min(1, o.certainty * (0.7 + 0.1 * Math.min(3, o.outlets.length))) * 100) / 100,
      baseline: o.baseline,
      firstSeenAt: o.first.firstSeenAt,
    };
    actions.push({
      type: "development.create",
      development: draft,
      sources: o.sources,
      outlets: o.outlets.length,
      alert,
      evidence: `${o.sources.length} item(s); first: ${o.first.id}: “${o.quote.slice(0, 200)}”`,
    });
    memory.devs.push({
      key: o.key,
      status: draft.status,
      facts: o.after.facts,
      first: o.firstMs,
      last: Date.parse(o.sources[o.sources.length - 1]?.publishedAt ?? o.first.publishedAt),
      outlets: o.outlets,
      alerted: alert,
      baseline: o.baseline,
      updates: [],
      ...(type === "coverage" ? { stems: o.stems } : {}),
    });
    if (type !== "coverage") {
      memory.current = o.key;
      lastKey = o.key;
    }
  };

  const corroborate = (dev: DevMemo, item: StoredItem, quote: string | null, copyOf: string | null, ms: number) => {
    const entry = corroborations.get(dev.key) ?? { sources: [], before: dev.outlets.length, dev };
    entry.sources.push(sourceRef(item, quote));
    corroborations.set(dev.key, entry);
    const outlet = outletOf(item);
    if (!copyOf && !dev.outlets.includes(outlet)) dev.outlets.push(outlet);
    dev.last = Math.max(dev.last, ms);
  };

  // An edit in place speaks as of its revision ("met on Friday" in a story first filed on Thursday).
  const asRevised = (item: StoredItem): StoredItem =>
    item.updated && item.revisedAt && item.revisedAt > item.publishedAt
      ? { ...item, publishedAt: item.revisedAt }
      : item;
  const sorted = items
    .map(asRevised)
    .sort((a, b) => a.publishedAt.localeCompare(b.publishedAt) || a.id.localeCompare(b.id));
  for (const item of sorted) {
    const text = `${item.title}\n${item.summary}\n${item.content}`;
    const h = digest(text);
    const memo = memory.items[item.id];
    if (memo && memo.h === h) continue;
    const ms = Date.parse(item.publishedAt);
    const reading: Reading = extract(item, ctx);
    const hash = simhash(`${item.title} ${item.summary}`);
    const outlet = outletOf(item);

    // A copy of an item already counted (same wire text at another outlet, or a re-delivery with edits).
    let copy: { id: string; memo: ItemMemo } | null = null;
    for (const id of memory.order) {
      const other = memory.items[id];
      if (!other || id === item.id) continue;
      const limit = storyline.kind === "topic" ? TOPIC_BITS : COPY_BITS;
      if (hamming(hash, other.s) <= limit && (!copy || hamming(hash, other.s) < hamming(hash, copy.memo.s))) {
        copy = { id, memo: other };
      }
    }
    const wireCopy = copy && copy.memo.o !== outlet && hamming(hash, copy.memo.s) <= COPY_BITS ? copy.id : null;

    // The claim that moves the state: firm claims from the title and lede first, then the body.
    let moved: { next: StoryState; claim: Claim } | null = null;
    const firm = reading.claims.filter((c) => c.polarity === "positive" && !c.background && c.certainty >= 0.8);
    const lede = firm.filter((c) => c.sentence <= 3);
    // Feeds arrive one at a time and out of order: a report older than the one that last moved
    // the state may corroborate, never move it back (no flip-flop on stale news).
    const dated = isDated(item);
    const stale = dated && ms < memory.movedAt;
    for (const claim of lede.length ? lede : firm) {
      // The first claim that either moves the state or says what is already known decides.
      const bringsNew =
        (!!claim.date && claim.date !== story.facts.date) ||
        (!!claim.place && (!story.facts.place || !within(story.facts.place, claim.place)));
      if (restates(storyline.kind, story, claim) && !bringsNew) break;
      let next = advance(storyline.kind, story, claim, item.publishedAt, rounds);
      // Stale news may still fill in a missing date or a narrower place, but not move the status.
      if (next && stale && !refines(story, next)) next = null;
      if (!next && restates(storyline.kind, story, claim)) break;
      if (next) {
        moved = { next: withParticipants(next, claim), claim };
        break;
      }
    }
    const restating = firm.find((c) => restates(storyline.kind, story, c)) ?? null;
    const quote = moved?.claim.quote ?? restating?.quote ?? firm[0]?.quote ?? null;
    let devKey: string | null = null;

    const current = devByKey(memory.current);
    const openNow = open as OpenDevelopment | null;
    if (
      moved &&
      !openNow &&
      current &&
      !current.baseline &&
      !item.baseline &&
      ms - current.first <= REFINE_WINDOW_MS &&
      refines(story, moved.next)
    ) {
      // Same announcement, one more detail (a date, a more specific place): an update, not a new development.
      corroborate(current, item, moved.claim.quote, wireCopy, ms);
      const entry = corroborations.get(current.key);
      if (entry) entry.facts = { ...moved.next.facts };
      current.facts = { ...moved.next.facts };
      noteDate(story, moved.next, item);
      story = moved.next;
      if (dated) memory.movedAt = Math.max(memory.movedAt, ms);
      devKey = current.key;
    } else if (moved) {
      const openDev = open as OpenDevelopment | null;
      if (
        openDev &&
        openDev.baseline === item.baseline &&
        !openDev.coverage &&
        ms - openDev.firstMs <= MERGE_WINDOW_MS
      ) {
        openDev.after = moved.next;
        openDev.sources.push(sourceRef(item, moved.claim.quote));
        if (!wireCopy && !openDev.outlets.includes(outlet)) openDev.outlets.push(outlet);
        openDev.hashes.push(hash);
        openDev.certainty = Math.max(openDev.certainty, moved.claim.certainty);
        openDev.quote = moved.claim.quote;
        devKey = openDev.key;
      } else {
        flush();
        const key = memo ? `${storyline.id}:${item.id}:${h.slice(0, 8)}` : `${storyline.id}:${item.id}`;
        open = {
          key,
          before: story,
          after: moved.next,
          first: item,
          firstMs: ms,
          sources: [sourceRef(item, moved.claim.quote)],
          outlets: [outlet],
          hashes: [hash],
          baseline: item.baseline,
          certainty: moved.claim.certainty,
          quote: moved.claim.quote,
          coverage: false,
          stems: [],
        };
        devKey = key;
      }
      noteDate(story, moved.next, item);
      story = moved.next;
      if (dated) memory.movedAt = Math.max(memory.movedAt, ms);
    } else if (memo) {
      // An edit that brings nothing new: at most it now reports another known development.
      const target = restating ? devByKey(memory.current) : null;
      if (target && target.key !== memo.d && (!open || (open as OpenDevelopment).key !== target.key)) {
        corroborate(target, item, quote, null, ms);
        devKey = target.key;
      } else devKey = memo.d;
    } else if (reading.relevantSentences > 0 || copy) {
      // Corroboration: the development this item repeats (open in this batch, a copy's, or the current one).
      const openDev = open as OpenDevelopment | null;
      const copyDev = copy ? devByKey(copy.memo.d) : null;
      const sharesFacts = (facts: Facts) =>
        (!!facts.date && reading.dates.includes(facts.date)) ||
        (!!facts.place &&
          reading.places.some((p) => within(p, facts.place as string) || within(facts.place as string, p)));
      if (
        openDev &&
        (restating || (copy && openDev.hashes.includes(copy.memo.s)) || sharesFacts(openDev.after.facts)) &&
        ms - openDev.firstMs <= MERGE_WINDOW_MS
      ) {
        openDev.sources.push(sourceRef(item, quote));
        if (!wireCopy && !openDev.outlets.includes(outlet)) openDev.outlets.push(outlet);
        openDev.hashes.push(hash);
        devKey = openDev.key;
      } else if (copyDev && ms - copyDev.last <= CORROBORATE_WINDOW_MS) {
        corroborate(copyDev, item, quote, wireCopy, ms);
        devKey = copyDev.key;
      } else {
        const current = devByKey(memory.current);
        if (
          current &&
          (restating || sharesFacts(current.facts)) &&
          ms - current.last <= CORROBORATE_WINDOW_MS &&
          storyline.kind !== "topic"
        ) {
          corroborate(current, item, quote, wireCopy, ms);
          devKey = current.key;
        } else if (reading.relevantSentences > 0) {
          // A new cluster of coverage.
          const coverageOpen = open as OpenDevelopment | null;
          const stems = topicStems(`${item.title} ${item.summary}`, anchors);
          const similarDev = memory.devs
            .filter((d) => d.stems && ms - d.last <= COVERAGE_WINDOW_MS)
            .find((d) => similar(stems, d.stems as string[]));
          if (
            coverageOpen?.coverage &&
            ms - coverageOpen.firstMs <= COVERAGE_WINDOW_MS &&
            ((copy && coverageOpen.hashes.some((x) => hamming(x, hash) <= TOPIC_BITS)) ||
              similar(stems, coverageOpen.stems))
          ) {
            coverageOpen.sources.push(sourceRef(item, quote));
            if (!wireCopy && !coverageOpen.outlets.includes(outlet)) coverageOpen.outlets.push(outlet);
            coverageOpen.hashes.push(hash);
            for (const w of stems)
              if (coverageOpen.stems.length < MAX_STEMS && !coverageOpen.stems.includes(w)) coverageOpen.stems.push(w);
            devKey = coverageOpen.key;
          } else if (similarDev) {
            corroborate(similarDev, item, quote, wireCopy, ms);
            const known = similarDev.stems as string[];
            for (const w of stems) if (known.length < MAX_STEMS && !known.includes(w)) known.push(w);
            devKey = similarDev.key;
          } else if (
            storyline.kind === "topic" ||
            !devByKey(memory.current) ||
            ms - (devByKey(memory.current)?.last ?? 0) > COVERAGE_WINDOW_MS
          ) {
            flush();
            const key = `${storyline.id}:${item.id}`;
            open = {
              key,
              before: story,
              after: story,
              first: item,
              firstMs: ms,
              sources: [sourceRef(item, quote ?? item.title)],
              outlets: [outlet],
              hashes: [hash],
              baseline: item.baseline,
              certainty: 0.5,
              quote: quote ?? item.title,
              coverage: true,
              stems,
            };
            devKey = key;
          }
        }
      }
    }

    if (!memo) memory.order.push(item.id);
    memory.items[item.id] = { h, d: devKey, s: hash, o: outlet };
  }
  flush();
  let voided = false;
  // Story time, not wall time: a replay or backfill runs long after its items were published.
  // Only dated items tell story time: a batch of undated ones (dated when first seen) voids nothing.
  const latest = sorted.findLast(isDated)?.publishedAt ?? null;
  // ISO timestamps: the earlier of the two sorts first.
  const storyNow = latest === null ? null : ([latest, now].sort()[0] as string);
  const afterVoid =
    storyNow === null || story.facts.date === memory.happenedOn
      ? null
      : voidPassedDate(storyline.kind, story, storyNow);
  if (afterVoid) {
    story = afterVoid;
    voided = true;
  }

  for (const [key, entry] of corroborations) {
    const dev = entry.dev;
    const count = dev.outlets.length;
    const crossed = entry.before < 3 && count >= 3;
    let updateKey: string | null = crossed ? "outlets:3" : null;
    if (entry.facts) {
      const parts = [entry.facts.date, entry.facts.place].filter(Boolean).join("|");
      updateKey = `facts:${digest(parts).slice(0, 8)}`;
    }
    const alert = !!updateKey && dev.alerted && !dev.baseline && !dev.updates.includes(updateKey);
    if (alert && updateKey) dev.updates.push(updateKey);
    actions.push({
      type: "development.corroborate",
      key,
      sources: entry.sources,
      outlets: count,
      alert,
      updateKey,
      evidence: `${entry.sources.length} more report(s); ${count} independent outlet(s)`,
      ...(entry.facts ? { facts: entry.facts } : {}),
    });
  }

  if (story.status !== startState.status || JSON.stringify(story.facts) !== JSON.stringify(startState.facts)) {
    actions.push({
      type: "storyline.update",
      status: story.status,
      facts: story.facts,
      developmentKey: lastKey,
      evidence: voided
        ? `the date passed without a report of the event; date voided as of ${now}`
        : `status ${startState.status ?? "none"} → ${story.status ?? "none"} as of ${now}`,
    });
  }

  // Bounded memory: oldest items and developments age out.
  while (memory.order.length > MAX_ITEMS) {
    const id = memory.order.shift() as string;
    delete memory.items[id];
  }
  if (memory.devs.length > MAX_DEVS) memory.devs.splice(0, memory.devs.length - MAX_DEVS);

  return {
    state: {
      version: 1,
      status: story.status,
      facts: story.facts,
      memory: memory as unknown as Record<string, unknown>,
    },
    actions,
  };
};

export type { StorylineRecord };
