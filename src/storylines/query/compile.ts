import type { WordPattern } from "./lexer";
import { parseQuery, type QueryNode } from "./parser";

/** A parsed query with what the matcher's prefilter needs. Immutable; shared through the cache. */
export interface CompiledQuery {
  text: string;
  ast: QueryNode;
  /** Keys of every word pattern the query uses (`=word` exact, `*stem` wildcard). */
  atoms: string[];
  /**
   * Up to MAX_TRIGGERS sets of patterns such that any text the query matches holds at least
   * one pattern of every set (none for e.g. `NOT x`): the prefilter evaluates the query
   * only for texts that satisfy all of them.
   */
  triggers: string[][];
}

export function atomKey(word: WordPattern): string {
  return `${word.prefix ? "*" : "="}${word.text}`;
}

/**
 * Sets of patterns the query needs: every text it matches holds at least one pattern of
 * each set. AND collects its children's sets, OR needs one set from every branch, NOT none.
 */
function requiredSets(node: QueryNode): string[][] {
  switch (node.type) {
    case "words":
      return node.words.map((word) => [atomKey(word)]);
    case "near":
      return [...requiredSets(node.left), ...requiredSets(node.right)];
    case "and":
      return node.children.flatMap(requiredSets);
    case "or": {
      const union = new Set<string>();
      for (const child of node.children) {
        const best = smallest(requiredSets(child));
        if (!best) return [];
        for (const key of best) union.add(key);
      }
      return [[...union]];
    }
    case "not":
      return [];
  }
}

/**
 * How likely a set is to occur in a text, roughly: more patterns occur more often, a
 * wildcard more than a word, and a short word more than a long one (Zipf: "of" is in every
 * text, "Ushakov" in few), so the prefilter keys on the rarest words it can.
 */
function looseness(set: string[]): number {
  return set.reduce((sum, key) => sum + (key.startsWith("*") ? 1.5 : 1) + 4 / key.length, 0);
}

/** The set least likely to occur. */
function smallest(sets: string[][]): string[] | null {
  let best: string[] | null = null;
  for (const set of sets) if (!best || looseness(set) < looseness(best)) best = set;
  return best;
}

export const MAX_TRIGGERS = 4;

/** The tightest distinct sets (duplicates removed), at most MAX_TRIGGERS. */
function chooseTriggers(sets: string[][]): string[][] {
  const unique = new Map<string, string[]>();
  for (const set of sets) {
    const sorted = [...new Set(set)].sort();
    unique.set(sorted.join(" "), sorted);
  }
  return [...unique.values()].sort((a, b) => looseness(a) - looseness(b)).slice(0, MAX_TRIGGERS);
}

function collectAtoms(node: QueryNode, into: Set<string>): void {
  switch (node.type) {
    case "words":
      for (const word of node.words) into.add(atomKey(word));
      return;
    case "near":
      collectAtoms(node.left, into);
      collectAtoms(node.right, into);
      return;
    case "and":
    case "or":
      for (const child of node.children) collectAtoms(child, into);
      return;
    case "not":
      collectAtoms(node.child, into);
      return;
  }
}

const CACHE_SIZE = 1000;
// Least recently used first: a Map keeps insertion order, and a hit re-inserts its key.
const cache = new Map<string, CompiledQuery>();

/** Parses and analyses a query once; later calls with the same text reuse it (LRU by text). */
export function compileQuery(text: string): CompiledQuery {
  const hit = cache.get(text);
  if (hit) {
    cache.delete(text);
    cache.set(text, hit);
    return hit;
  }
  const compiled = compileAst(parseQuery(text), text);
  cache.set(text, compiled);
  if (cache.size > CACHE_SIZE) {
    const oldest = cache.keys().next().value;
    if (oldest !== undefined) cache.delete(oldest);
  }
  return compiled;
}

/** A query from a tree already parsed (a part of a query, say), with the same analysis; not cached. */
export function compileAst(ast: QueryNode, text: string): CompiledQuery {
  const atoms = new Set<string>();
  collectAtoms(ast, atoms);
  return { text, ast, atoms: [...atoms], triggers: chooseTriggers(requiredSets(ast)) };
}

/** How many compiled queries the cache holds (for tests of the cache itself). */
export function compiledQueryCacheSize(): number {
  return cache.size;
}
