/**
 * The storyline's query read as anchors for single sentences: the top-level AND groups of
 * the query ("(X OR Xhall) AND Y AND (summit OR meet*)" gives three groups). A
 * sentence that carries a status cue must hit (nearly) all groups to be about the storyline,
 * so "diplomats of both countries met in the capital" does not hold the leaders' talks.
 * A small reading of the DESIGN.md syntax (NEAR/n is read as AND, NOT is kept); items are
 * matched to storylines upstream, this only scores sentences.
 */
import { fold } from "./text";

export type Node =
  | { op: "and" | "or"; kids: Node[] }
  | { op: "not"; kid: Node }
  | { op: "term"; words: Array<{ text: string; prefix: boolean }> };

function tokenize(query: string): string[] {
  const out: string[] = [];
  const re = /\s*(\(|\)|"[^"]*"|“[^”]*”|[^\s()"“”]+)/g;
  for (const m of query.matchAll(re)) out.push(m[1] as string);
  return out;
}

function termNode(raw: string): Node {
  const text = fold(raw.replace(/^["“]|["”]$/g, ""));
  const parts = text.split(/[^\p{L}\p{N}*']+/u).filter(Boolean);
  return {
    op: "term",
    words: parts.map((p) => ({ text: p.replace(/\*$/, "").replace(/'s$/, ""), prefix: p.endsWith("*") })),
  };
}

function parse(tokens: string[]): Node {
  let i = 0;
  const peek = () => tokens[i];
  const parseOr = (): Node => {
    const kids = [parseAnd()];
    while (peek() === "OR") {
      i++;
      kids.push(parseAnd());
    }
    return kids.length === 1 ? (kids[0] as Node) : { op: "or", kids };
  };
  const parseAnd = (): Node => {
    const kids = [parseUnary()];
    for (;;) {
      const t = peek();
      if (t === undefined || t === ")" || t === "OR") break;
      if (t === "AND" || /^NEAR\/\d+$/.test(t)) {
        i++;
        continue;
      }
      kids.push(parseUnary());
    }
    return kids.length === 1 ? (kids[0] as Node) : { op: "and", kids };
  };
  const parseUnary = (): Node => {
    const t = peek();
    if (t === "NOT") {
      i++;
      return { op: "not", kid: parseUnary() };
    }
    if (t === "(") {
      i++;
      const node = parseOr();
      if (peek() === ")") i++;
      return node;
    }
    i++;
    return termNode(t ?? "");
  };
  return tokens.length ? parseOr() : { op: "and", kids: [] };
}

/** Folded words of a text, possessives dropped, hyphens split. */
export function anchorWords(foldedText: string): string[] {
  return (foldedText.match(/[\p{L}\p{N}]+/gu) ?? []).filter((w) => w !== "s");
}

function matchTerm(words: string[], pattern: Array<{ text: string; prefix: boolean }>): boolean {
  if (pattern.length === 0) return false;
  const first = pattern[0] as { text: string; prefix: boolean };
  for (let i = 0; i + pattern.length <= words.length; i++) {
    let ok = true;
    for (let k = 0; k < pattern.length && ok; k++) {
      const w = words[i + k] as string;
      const p = k === 0 ? first : (pattern[k] as { text: string; prefix: boolean });
      ok = p.prefix ? w.startsWith(p.text) : w === p.text;
    }
    if (ok) return true;
  }
  return false;
}

function evaluate(node: Node, words: string[]): boolean {
  switch (node.op) {
    case "and":
      return node.kids.every((k) => evaluate(k, words));
    case "or":
      return node.kids.some((k) => evaluate(k, words));
    case "not":
      return !evaluate(node.kid, words);
    case "term":
      return matchTerm(words, node.words);
  }
}

export interface Anchors {
  /** Top-level AND groups (NOT groups left out: they say what a sentence is not). */
  groups: Node[];
  root: Node;
  /** Words the query writes with a capital (folded): proper names, such as "X". */
  capitalised: Set<string>;
}

const OPERATORS = new Set(["AND", "OR", "NOT"]);

export function compileAnchors(query: string): Anchors {
  const root = parse(tokenize(query));
  const top = root.op === "and" ? root.kids : [root];
  const capitalised = new Set<string>();
  for (const m of query.matchAll(/[\p{L}][\p{L}\p{N}'’-]*/gu)) {
    const word = m[0];
    if (/^\p{Lu}/u.test(word) && !OPERATORS.has(word) && !/^NEAR$/i.test(word)) capitalised.add(fold(word));
  }
  return { root, groups: top.filter((g) => g.op !== "not"), capitalised };
}

/** How many of the query's top-level groups the words hit. */
export function groupsHit(anchors: Anchors, words: string[]): number {
  let hit = 0;
  for (const g of anchors.groups) if (evaluate(g, words)) hit++;
  return hit;
}

/** Whole-query match (used by the replay as a keyword pre-match). */
export function matchesQuery(anchors: Anchors, words: string[]): boolean {
  return evaluate(anchors.root, words);
}

/** The words of a group's terms (for telling name groups from topical ones). */
export function groupTerms(group: Node): string[][] {
  switch (group.op) {
    case "term":
      return [group.words.map((w) => w.text)];
    case "and":
    case "or":
      return group.kids.flatMap(groupTerms);
    case "not":
      return [];
  }
}

/** Does any of these groups hold among the words? */
export function hitsGroup(group: Node, words: string[]): boolean {
  return evaluate(group, words);
}
