/**
 * The storyline's query read as anchors for single sentences: its top-level AND groups
 * ("(X OR Xhall) AND Y AND (summit OR meet*)" gives three groups; nested ANDs are flattened).
 * A sentence that carries a status cue must hit (nearly) all groups to be about the storyline,
 * so "diplomats of both countries met in the capital" does not hold the leaders' talks.
 * Every group is evaluated by the product's own query semantics (src/storylines/query and its
 * matcher: folding, whole words, wildcards, phrases, NEAR, field prefixes), so the detector and
 * the matcher never disagree on what a query says. A sentence counts as both title and summary.
 */
import { compileMatcher, type Matcher, preparePlainText } from "../storylines/matcher";
import { compileAst, compileQuery, type QueryNode } from "../storylines/query";
import { fold } from "./text";

export type Node = QueryNode;

export interface Anchors {
  /** Top-level AND groups (NOT groups left out: they say what a sentence is not). */
  groups: QueryNode[];
  /** Words the query writes with a capital (folded): proper names, such as "X". */
  capitalised: Set<string>;
  /** One entry per group, keyed by its index in `groups`. */
  groupMatcher: Matcher<number>;
  /** The whole query. */
  queryMatcher: Matcher<number>;
}

const OPERATORS = new Set(["AND", "OR", "NOT"]);

/** The conjuncts of an AND, nested ANDs flattened. */
function conjuncts(node: QueryNode): QueryNode[] {
  return node.type === "and" ? node.children.flatMap(conjuncts) : [node];
}

const CACHE_SIZE = 500;
/** Anchors by query text: every detect() call reads its storyline's, so they are built once. */
const cache = new Map<string, Anchors>();

export function compileAnchors(query: string): Anchors {
  const hit = cache.get(query);
  if (hit) return hit;
  const anchors = buildAnchors(query);
  cache.set(query, anchors);
  if (cache.size > CACHE_SIZE) cache.delete(cache.keys().next().value as string);
  return anchors;
}

function buildAnchors(query: string): Anchors {
  let root: QueryNode | null = null;
  try {
    root = query.trim() ? compileQuery(query).ast : null;
  } catch {
    // A storyline's query was validated when it was saved; an unreadable one anchors nothing.
    root = null;
  }
  const groups = root ? conjuncts(root).filter((g) => g.type !== "not") : [];
  const capitalised = new Set<string>();
  for (const m of query.matchAll(/[\p{L}][\p{L}\p{N}'’-]*/gu)) {
    const word = m[0];
    if (/^\p{Lu}/u.test(word) && !OPERATORS.has(word) && !/^NEAR$/i.test(word)) {
      for (const part of fold(word).split(/[-']/)) if (part && part !== "s") capitalised.add(part);
    }
  }
  return {
    groups,
    capitalised,
    groupMatcher: compileMatcher(groups.map((g, index) => ({ key: index, query: compileAst(g, `group ${index}`) }))),
    queryMatcher: compileMatcher(root ? [{ key: 0, query: compileAst(root, query) }] : []),
  };
}

/** The indexes of the query's groups a text hits. */
export function groupsHitBy(anchors: Anchors, text: string): number[] {
  if (anchors.groups.length === 0) return [];
  return anchors.groupMatcher.match(preparePlainText(text));
}

/** How many of the query's top-level groups a text hits. */
export function groupsHit(anchors: Anchors, text: string): number {
  return groupsHitBy(anchors, text).length;
}

/** Whole-query match of a text. */
export function matchesQuery(anchors: Anchors, text: string): boolean {
  return anchors.queryMatcher.match(preparePlainText(text)).length > 0;
}

/** The words of a group's terms (for telling name groups from topical ones). */
export function groupTerms(group: QueryNode): string[][] {
  switch (group.type) {
    case "words":
      return [group.words.map((w) => w.text)];
    case "near":
      return [...groupTerms(group.left), ...groupTerms(group.right)];
    case "and":
    case "or":
      return group.children.flatMap(groupTerms);
    case "not":
      return [];
  }
}
