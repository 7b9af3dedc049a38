/**
 * "Test query" in the console: a query against stored items, with the words it looked for
 * marked in each match. Matching is the real matcher; the marks are for people only.
 */
import type { StoredItem } from "../contracts";
import { compileMatcher, prepareItem } from "./matcher";
import { foldText, parseQuery, type QueryNode, type WordPattern } from "./query";

/** Most stored items a query is tried against in the console. */
export const TEST_QUERY_ITEMS = 500;

/** A piece of text, marked when it is one of the query's words. */
export interface TextPart {
  text: string;
  mark: boolean;
}

export interface QueryTestMatch {
  item: StoredItem;
  title: TextPart[];
  summary: TextPart[];
}

export interface QueryTestResult {
  tried: number;
  matches: QueryTestMatch[];
}

/** The words a query looks for (not those it excludes with NOT). */
function wantedWords(node: QueryNode, into: WordPattern[] = []): WordPattern[] {
  switch (node.type) {
    case "words":
      into.push(...node.words);
      break;
    case "near":
      wantedWords(node.left, into);
      wantedWords(node.right, into);
      break;
    case "and":
    case "or":
      for (const child of node.children) wantedWords(child, into);
      break;
    case "not":
      break;
  }
  return into;
}

const WORD = /[\p{L}\p{N}]+(?:['’][\p{L}]+)?/gu;

/** Splits `text` into parts, marking each word that one of `patterns` matches (folded, as matching compares). */
export function markWords(text: string, patterns: WordPattern[]): TextPart[] {
  const parts: TextPart[] = [];
  let last = 0;
  for (const match of text.matchAll(WORD)) {
    const word = foldText(match[0]).replace(/['’]s$/, "");
    const hit = patterns.some((p) => (p.prefix ? word.startsWith(p.text) : word === p.text));
    if (!hit) continue;
    if (match.index > last) parts.push({ text: text.slice(last, match.index), mark: false });
    parts.push({ text: match[0], mark: true });
    last = match.index + match[0].length;
  }
  if (last < text.length) parts.push({ text: text.slice(last), mark: false });
  return parts;
}

/** Runs `query` over `items`; throws QuerySyntaxError for a query that does not parse. */
export function testQuery(query: string, items: StoredItem[]): QueryTestResult {
  const matcher = compileMatcher([{ key: 0, query }]);
  const patterns = wantedWords(parseQuery(query));
  const matches: QueryTestMatch[] = [];
  for (const item of items) {
    if (matcher.match(prepareItem(item)).length === 0) continue;
    matches.push({ item, title: markWords(item.title, patterns), summary: markWords(item.summary, patterns) });
  }
  return { tried: items.length, matches };
}
