/**
 * Matches many queries against many texts in one pass. Every text is split into words once;
 * each word is looked up once per matcher (memoised) in a table of exact words and a trie
 * of wildcard stems, which yields the positions of every pattern any query uses. A query is
 * evaluated exactly only when its trigger set (patterns one of which must occur, see
 * compile.ts) is present, so most (query, text) pairs cost nothing.
 */
import { atomKey, type CompiledQuery, compileQuery, type QueryNode } from "./query";
import { MAX_TRIGGERS } from "./query/compile";
import { splitWords } from "./query/text";

/** Words between fields: larger than any NEAR/n, so phrases and NEAR never span two fields. */
const FIELD_GAP = 1000;
/** Article bodies can be long; matching reads their first part, where the news is. */
export const MAX_CONTENT_CHARS = 20_000;

/** A text split into words, with the position ranges of its title and summary. */
export interface PreparedText {
  segments: Array<{ base: number; words: string[] }>;
  title: readonly [number, number];
  summary: readonly [number, number];
}

export function prepareItem(item: { title: string; summary: string; content?: string | null }): PreparedText {
  const title = splitWords(item.title);
  const summary = splitWords(item.summary);
  const content = item.content ? splitWords(item.content.slice(0, MAX_CONTENT_CHARS)) : [];
  const summaryBase = title.length + FIELD_GAP;
  const contentBase = summaryBase + summary.length + FIELD_GAP;
  return {
    segments: [
      { base: 0, words: title },
      { base: summaryBase, words: summary },
      { base: contentBase, words: content },
    ],
    title: [0, title.length],
    summary: [summaryBase, summaryBase + summary.length],
  };
}

/** A bare text (as in POST /v1/queries/test) counts as both title and summary. */
export function preparePlainText(text: string): PreparedText {
  const words = splitWords(text);
  return { segments: [{ base: 0, words }], title: [0, words.length], summary: [0, words.length] };
}

const ANY = 0;
const TITLE = 1;
const SUMMARY = 2;
type FieldCode = typeof ANY | typeof TITLE | typeof SUMMARY;

type EvalNode =
  | { t: "words"; atoms: number[]; field: FieldCode }
  | { t: "near"; left: EvalNode; right: EvalNode; distance: number }
  | { t: "and" | "or"; children: EvalNode[] }
  | { t: "not"; child: EvalNode };

interface TrieNode {
  next: Map<number, TrieNode>;
  atoms: number[];
}

/** Positions of each pattern in the text being evaluated (indexed by atom id; empty = absent). */
type Occurrences = ReadonlyArray<number[]>;

type Span = readonly [number, number];

function inField(position: number, field: FieldCode, doc: PreparedText): boolean {
  if (field === ANY) return true;
  const [start, end] = field === TITLE ? doc.title : doc.summary;
  return position >= start && position < end;
}

/**
 * Most units of work (positions and spans visited) one query may spend on one item. NEAR is
 * linear in the positions of its terms, so an ordinary article costs a few thousand; this
 * bounds what a crafted text against the largest valid query (200 terms) can cost.
 */
export const MATCH_WORK_BUDGET = 1_000_000;

/** A query spent its work budget on one item: that (query, item) pair fails, nothing else. */
export class MatchBudgetExceeded extends Error {
  constructor() {
    super(`matching one item took more than ${MATCH_WORK_BUDGET} steps; the query is too costly for this text`);
    this.name = "MatchBudgetExceeded";
  }
}

/** The work spent so far on one (query, item) pair. */
interface Budget {
  left: number;
}

function spend(budget: Budget, units: number): void {
  budget.left -= units;
  if (budget.left < 0) throw new MatchBudgetExceeded();
}

/** The first index in [0, length) at which `before` turns false (it must be true, then false). */
function partitionPoint(length: number, before: (index: number) => boolean): number {
  let lo = 0;
  let hi = length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (before(mid)) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

/** Whether a sorted array holds `value`. */
function holds(sorted: readonly number[], value: number): boolean {
  return sorted[partitionPoint(sorted.length, (i) => (sorted[i] as number) < value)] === value;
}

/**
 * Where the words occur in order, within the field, sorted by start; with `firstOnly`, stops
 * at the first. Positions are recorded in text order, so each list is sorted.
 */
function wordSpans(
  node: { atoms: number[]; field: FieldCode },
  occ: Occurrences,
  doc: PreparedText,
  budget: Budget,
  firstOnly = false,
): Span[] {
  const first = occ[node.atoms[0] as number] as number[];
  if (first.length === 0) return [];
  spend(budget, first.length * node.atoms.length);
  const spans: Span[] = [];
  const last = node.atoms.length - 1;
  outer: for (const start of first) {
    if (!inField(start, node.field, doc) || !inField(start + last, node.field, doc)) continue;
    for (let i = 1; i <= last; i++) {
      if (!holds(occ[node.atoms[i] as number] as number[], start + i)) continue outer;
    }
    spans.push([start, start + last]);
    if (firstOnly) break;
  }
  return spans;
}

const byStart = (a: Span, b: Span) => a[0] - b[0] || a[1] - b[1];
const byEnd = (a: Span, b: Span) => a[1] - b[1] || b[0] - a[0];

/** Sorted by start, without repeats. */
function distinctByStart(spans: Span[]): Span[] {
  spans.sort(byStart);
  let kept = 0;
  for (const span of spans) {
    const previous = spans[kept - 1];
    if (previous && previous[0] === span[0] && previous[1] === span[1]) continue;
    spans[kept++] = span;
  }
  spans.length = kept;
  return spans;
}

/** Index of the first span in `sorted` (by start) that starts after `position`. */
function firstStartingAfter(sorted: readonly Span[], position: number): number {
  return partitionPoint(sorted.length, (i) => (sorted[i] as Span)[0] <= position);
}

/** Index of the last span in `sorted` (by end) that ends before `position`, or -1. */
function lastEndingBefore(sorted: readonly Span[], position: number): number {
  return partitionPoint(sorted.length, (i) => (sorted[i] as Span)[1] < position) - 1;
}

/**
 * Joins each span of `from` with its closest span of `to` that does not overlap it, before or
 * after, when at most `distance` words lie between them; each join covers both spans.
 */
function joinClosest(from: readonly Span[], to: Span[], distance: number, budget: Budget, into: Span[]): void {
  const toByStart = to;
  const toByEnd = [...to].sort(byEnd);
  spend(budget, from.length * 2 * Math.ceil(Math.log2(to.length + 1)));
  for (const a of from) {
    const after = toByStart[firstStartingAfter(toByStart, a[1])];
    const beforeIndex = lastEndingBefore(toByEnd, a[0]);
    const before = beforeIndex >= 0 ? toByEnd[beforeIndex] : undefined;
    const gapAfter = after ? after[0] - a[1] - 1 : Number.POSITIVE_INFINITY;
    const gapBefore = before ? a[0] - before[1] - 1 : Number.POSITIVE_INFINITY;
    if (Math.min(gapAfter, gapBefore) > distance) continue;
    if (after && gapAfter <= gapBefore) into.push([a[0], after[1]]);
    else if (before) into.push([before[0], a[1]]);
  }
}

/**
 * The spans a node matches, sorted by start and distinct. NEAR joins every span of either
 * side with its closest partner on the other side (sliding over position lists sorted by start
 * and by end, never a cross product), so a NEAR yields at most as many spans as its two sides
 * together and a chain of n terms stays linear in their positions. For two operands this is
 * exact (some pair is within n words exactly when some span's closest partner is); in a chain,
 * each link is checked from the closest joins of the links before it.
 */
function spans(node: EvalNode, occ: Occurrences, doc: PreparedText, budget: Budget): Span[] {
  switch (node.t) {
    case "words":
      return wordSpans(node, occ, doc, budget);
    case "or": {
      const all = node.children.flatMap((child) => spans(child, occ, doc, budget));
      spend(budget, all.length);
      return distinctByStart(all);
    }
    case "near": {
      const left = spans(node.left, occ, doc, budget);
      if (left.length === 0) return [];
      const right = spans(node.right, occ, doc, budget);
      if (right.length === 0) return [];
      const joined: Span[] = [];
      joinClosest(left, right, node.distance, budget, joined);
      joinClosest(right, left, node.distance, budget, joined);
      spend(budget, joined.length);
      return distinctByStart(joined);
    }
    default:
      return [];
  }
}

function evaluate(node: EvalNode, occ: Occurrences, doc: PreparedText, budget: Budget): boolean {
  switch (node.t) {
    case "words": {
      if (node.atoms.length > 1) return wordSpans(node, occ, doc, budget, true).length > 0;
      const positions = occ[node.atoms[0] as number] as number[];
      if (positions.length === 0) return false;
      if (node.field === ANY) return true;
      spend(budget, positions.length);
      for (const position of positions) if (inField(position, node.field, doc)) return true;
      return false;
    }
    case "near":
      return spans(node, occ, doc, budget).length > 0;
    case "and":
      for (const child of node.children) if (!evaluate(child, occ, doc, budget)) return false;
      return true;
    case "or":
      for (const child of node.children) if (evaluate(child, occ, doc, budget)) return true;
      return false;
    case "not":
      return !evaluate(node.child, occ, doc, budget);
  }
}

const MEMO_LIMIT = 100_000;
/** The positions of an atom absent from the text (shared, never written to). */
const NOWHERE: number[] = [];

export class Matcher<K> {
  private readonly keys: K[] = [];
  private readonly trees: EvalNode[] = [];
  private readonly atomIds = new Map<string, number>();
  private readonly exact = new Map<string, number>();
  private readonly trie: TrieNode = { next: new Map(), atoms: [] };
  /** Per atom id: the (entry, trigger set) pairs it satisfies, as entry * MAX_TRIGGERS + set. */
  private readonly triggers: number[][] = [];
  /** Per entry: the bit mask of its trigger sets (0 when it has none, e.g. `NOT x`). */
  private readonly fullMasks: number[] = [];
  /** Entries with no trigger set: always evaluated. */
  private readonly untriggered: number[] = [];
  /** word → atom ids it matches, shared across texts (words repeat a lot). */
  private memo = new Map<string, readonly number[]>();
  /** Atom ids whose every position is needed; the others record their first only. */
  private readonly positional = new Set<number>();
  private needsPositions: Uint8Array = new Uint8Array(0);
  // Scratch state for match(), reused across texts to spare allocations (match is synchronous).
  private occurrences: number[][] = [];
  private touched: number[] = [];
  private masks: Uint8Array = new Uint8Array(0);
  private stamps: Uint32Array = new Uint32Array(0);
  private stamp = 0;

  constructor(entries: Iterable<{ key: K; query: CompiledQuery | string }>) {
    for (const entry of entries) {
      const query = typeof entry.query === "string" ? compileQuery(entry.query) : entry.query;
      const index = this.keys.length;
      this.keys.push(entry.key);
      this.trees.push(this.translate(query.ast));
      query.triggers.forEach((set, setIndex) => {
        for (const key of set) {
          const id = this.atomIds.get(key) as number;
          const list = this.triggers[id] ?? [];
          list.push(index * MAX_TRIGGERS + setIndex);
          this.triggers[id] = list;
        }
      });
      this.fullMasks.push((1 << query.triggers.length) - 1);
      if (query.triggers.length === 0) this.untriggered.push(index);
    }
    this.occurrences = new Array<number[]>(this.atomIds.size).fill(NOWHERE);
    this.needsPositions = new Uint8Array(this.atomIds.size);
    for (const id of this.positional) this.needsPositions[id] = 1;
    this.masks = new Uint8Array(this.keys.length);
    this.stamps = new Uint32Array(this.keys.length);
  }

  get size(): number {
    return this.keys.length;
  }

  private atom(key: string): number {
    let id = this.atomIds.get(key);
    if (id !== undefined) return id;
    id = this.atomIds.size;
    this.atomIds.set(key, id);
    const text = key.slice(1);
    if (key.startsWith("=")) {
      this.exact.set(text, id);
    } else {
      let node = this.trie;
      for (let i = 0; i < text.length; i++) {
        const code = text.charCodeAt(i);
        let child = node.next.get(code);
        if (!child) {
          child = { next: new Map(), atoms: [] };
          node.next.set(code, child);
        }
        node = child;
      }
      node.atoms.push(id);
    }
    return id;
  }

  /** `positional`: inside NEAR, where every position of every word counts. */
  private translate(node: QueryNode, positional = false): EvalNode {
    switch (node.type) {
      case "words": {
        const field = node.field === "title" ? TITLE : node.field === "summary" ? SUMMARY : ANY;
        const atoms = node.words.map((word) => this.atom(atomKey(word)));
        // A lone word anywhere only needs to occur; phrases, fields and NEAR need positions.
        if (positional || atoms.length > 1 || field !== ANY) for (const id of atoms) this.positional.add(id);
        return { t: "words", atoms, field };
      }
      case "near":
        return {
          t: "near",
          left: this.translate(node.left, true),
          right: this.translate(node.right, true),
          distance: node.distance,
        };
      case "and":
      case "or":
        return { t: node.type, children: node.children.map((child) => this.translate(child, positional)) };
      case "not":
        return { t: "not", child: this.translate(node.child, positional) };
    }
  }

  private atomsOf(word: string): readonly number[] {
    const known = this.memo.get(word);
    if (known) return known;
    const found: number[] = [];
    const exact = this.exact.get(word);
    if (exact !== undefined) found.push(exact);
    let node: TrieNode | undefined = this.trie;
    for (let i = 0; i < word.length && node; i++) {
      node = node.next.get(word.charCodeAt(i));
      if (node) for (const id of node.atoms) found.push(id);
    }
    if (this.memo.size >= MEMO_LIMIT) this.memo = new Map();
    this.memo.set(word, found);
    return found;
  }

  /**
   * Keys of the entries whose query matches the text; `accept` can rule entries out before
   * evaluation. An entry whose query spends more than MATCH_WORK_BUDGET on this text does not
   * match; it is reported to `overBudget` (with the reason), and the other entries go on.
   */
  match(doc: PreparedText, accept?: (key: K) => boolean, overBudget?: (key: K, reason: string) => void): K[] {
    const occ = this.occurrences;
    const { masks, stamps, fullMasks, needsPositions } = this;
    const stamp = ++this.stamp;
    const touched = this.touched;
    touched.length = 0;
    const candidates = this.untriggered.length > 0 ? [...this.untriggered] : [];
    for (const segment of doc.segments) {
      const { base, words } = segment;
      for (let i = 0; i < words.length; i++) {
        const ids = this.atomsOf(words[i] as string);
        for (const id of ids) {
          const positions = occ[id] as number[];
          if (positions !== NOWHERE) {
            if (needsPositions[id] === 1) positions.push(base + i);
            continue;
          }
          occ[id] = [base + i];
          touched.push(id);
          const triggered = this.triggers[id];
          if (!triggered) continue;
          for (const code of triggered) {
            const entry = (code / MAX_TRIGGERS) | 0;
            if (stamps[entry] !== stamp) {
              stamps[entry] = stamp;
              masks[entry] = 0;
            }
            const before = masks[entry] as number;
            const after = before | (1 << (code % MAX_TRIGGERS));
            masks[entry] = after;
            if (after !== before && after === fullMasks[entry]) candidates.push(entry);
          }
        }
      }
    }
    let matched: number[] | null = null;
    for (const index of candidates) {
      if (accept && !accept(this.keys[index] as K)) continue;
      let matches: boolean;
      try {
        matches = evaluate(this.trees[index] as EvalNode, occ, doc, { left: MATCH_WORK_BUDGET });
      } catch (error) {
        if (!(error instanceof MatchBudgetExceeded)) throw error;
        overBudget?.(this.keys[index] as K, error.message);
        continue;
      }
      if (!matches) continue;
      matched ??= [];
      matched.push(index);
    }
    // Swapping in the shared empty array is far cheaper than truncating each array (length = 0).
    for (const id of touched) occ[id] = NOWHERE;
    if (!matched) return [];
    // In entry order, whatever order the triggers fired in.
    return matched.sort((a, b) => a - b).map((index) => this.keys[index] as K);
  }
}

export function compileMatcher<K>(entries: Iterable<{ key: K; query: CompiledQuery | string }>): Matcher<K> {
  return new Matcher(entries);
}
