import { describe, expect, it } from "vitest";
import { makeItems, makeQueries } from "../../bench/match.data";
import { compileMatcher, prepareItem, preparePlainText } from "../../src/storylines/matcher";
import { parseQuery, type QueryNode, splitWords, type WordPattern } from "../../src/storylines/query";
import { MATCH_CASES } from "./query-cases";

/**
 * A deliberately naive second implementation of query evaluation (no prefilter, no word
 * table, no trie, no shared state): every node re-reads the words of each field. The
 * matcher must agree with it on every (query, text) pair.
 */
type Fields = { title: string[]; summary: string[]; content: string[] };

const wordMatches = (pattern: WordPattern, word: string) =>
  pattern.prefix ? word.startsWith(pattern.text) : word === pattern.text;

function fieldsOf(node: { field: "title" | "summary" | null }, text: Fields): string[][] {
  if (node.field === "title") return [text.title];
  if (node.field === "summary") return [text.summary];
  return [text.title, text.summary, text.content];
}

/** Spans as [field index, start, end] of every place the node matches. */
function spansOf(node: QueryNode, text: Fields): Array<[number, number, number]> {
  const all = [text.title, text.summary, text.content];
  if (node.type === "words") {
    const out: Array<[number, number, number]> = [];
    for (const words of fieldsOf(node, text)) {
      const f = all.indexOf(words);
      for (let start = 0; start + node.words.length <= words.length; start++) {
        if (node.words.every((p, i) => wordMatches(p, words[start + i] as string))) {
          out.push([f, start, start + node.words.length - 1]);
        }
      }
    }
    return out;
  }
  if (node.type === "or") return node.children.flatMap((c) => spansOf(c, text));
  if (node.type === "near") {
    const out: Array<[number, number, number]> = [];
    for (const a of spansOf(node.left, text)) {
      for (const b of spansOf(node.right, text)) {
        if (a[0] !== b[0]) continue;
        const gap = a[2] < b[1] ? b[1] - a[2] - 1 : b[2] < a[1] ? a[1] - b[2] - 1 : -1;
        if (gap >= 0 && gap <= node.distance) out.push([a[0], Math.min(a[1], b[1]), Math.max(a[2], b[2])]);
      }
    }
    return out;
  }
  throw new Error(`no spans for ${node.type}`);
}

function holds(node: QueryNode, text: Fields): boolean {
  switch (node.type) {
    case "and":
      return node.children.every((c) => holds(c, text));
    case "or":
      return node.children.some((c) => holds(c, text));
    case "not":
      return !holds(node.child, text);
    default:
      return spansOf(node, text).length > 0;
  }
}

describe("the matcher agrees with a naive reference evaluator", () => {
  it("on 100 generated queries × 300 generated items", () => {
    const queries = makeQueries(100, 7);
    const items = makeItems(300, 8);
    const matcher = compileMatcher(queries.map((query, key) => ({ key, query })));
    const trees = queries.map((q) => parseQuery(q));
    let agreed = 0;
    let positives = 0;
    for (const item of items) {
      const fields = { title: splitWords(item.title), summary: splitWords(item.summary), content: [] };
      const expected = trees.flatMap((tree, key) => (holds(tree, fields) ? [key] : []));
      expect(matcher.match(prepareItem(item))).toEqual(expected);
      agreed++;
      positives += expected.length;
    }
    expect(agreed).toBe(300);
    // The data must exercise both outcomes for the agreement to mean anything.
    expect(positives).toBeGreaterThan(100);
    expect(positives).toBeLessThan(100 * 300 - 100);
  });

  it("on every conformance case", () => {
    for (const { query, text } of MATCH_CASES) {
      const doc = typeof text === "string" ? preparePlainText(text) : prepareItem(text);
      // A bare text is title and summary at once.
      const fields =
        typeof text === "string"
          ? { title: splitWords(text), summary: splitWords(text), content: [] }
          : { title: splitWords(text.title), summary: splitWords(text.summary), content: [] };
      const matched = compileMatcher([{ key: 0, query }]).match(doc).length > 0;
      expect(matched, query).toBe(holds(parseQuery(query), fields));
    }
  });
});
