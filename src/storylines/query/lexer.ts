import { splitWords } from "./text";

/** A query syntax error, with the 1-based character position it is at. */
export class QuerySyntaxError extends Error {
  readonly position: number;
  constructor(position: number, message: string) {
    super(`${message} (at position ${position})`);
    this.name = "QuerySyntaxError";
    this.position = position;
  }
}

/**
 * A query over one of the size limits. Checked before the query is parsed (length) or right
 * after it is cut into tokens (terms, depth), so the cost of refusing stays small.
 */
export class QueryLimitError extends QuerySyntaxError {
  readonly part: "length" | "terms" | "depth";
  constructor(part: "length" | "terms" | "depth", position: number, message: string) {
    super(position, message);
    this.name = "QueryLimitError";
    this.part = part;
  }
}

/** Longest query accepted, in characters. */
export const MAX_QUERY_CHARS = 2000;
/** Most word patterns (terms, and the words of phrases) in one query. */
export const MAX_QUERY_TERMS = 200;
/** Deepest nesting of parentheses. */
export const MAX_QUERY_DEPTH = 32;

export type Field = "title" | "summary";
export const FIELDS: readonly Field[] = ["title", "summary"];

/** One word of a term or phrase, folded; `prefix` for a trailing `*` wildcard. */
export interface WordPattern {
  text: string;
  prefix: boolean;
}

/** Largest n accepted in NEAR/n: beyond that "near" means little and spans get costly. */
export const MAX_NEAR = 100;

export type Token =
  | { kind: "lparen" | "rparen"; position: number; raw: string }
  | { kind: "and" | "or" | "not"; position: number; raw: string }
  | { kind: "near"; position: number; raw: string; distance: number }
  | { kind: "field"; position: number; raw: string; field: Field }
  | { kind: "phrase" | "term"; position: number; raw: string; words: WordPattern[] };

const OPEN_QUOTES = new Set(['"', "“", "„"]);
const CLOSE_QUOTES = new Set(['"', "”", "“"]);
const SPACE = /\s/;

function isDelimiter(ch: string): boolean {
  return SPACE.test(ch) || ch === "(" || ch === ")" || OPEN_QUOTES.has(ch) || CLOSE_QUOTES.has(ch);
}

/**
 * Words of one whitespace-free piece such as `Zelensk*`, `Putin-Trump` or `de-escalation`.
 * `offset` is the 0-based index of the piece in the query, for error positions.
 */
function piecePatterns(piece: string, offset: number): WordPattern[] {
  const star = piece.indexOf("*");
  if (star !== -1 && star !== piece.length - 1) {
    throw new QuerySyntaxError(
      offset + star + 1,
      `Misplaced * in "${piece}": a wildcard may only end a word, as in meet*`,
    );
  }
  const wildcard = star !== -1;
  const stem = wildcard ? piece.slice(0, -1) : piece;
  const words = splitWords(stem);
  if (words.length === 0) {
    if (wildcard && stem.length === 0) {
      throw new QuerySyntaxError(offset + 1, "Lone *: a wildcard must end a word, as in meet*");
    }
    throw new QuerySyntaxError(offset + 1, `"${piece}" has no letters or digits to match`);
  }
  // A wildcard after punctuation ("U.S.*") still applies to the last word.
  return words.map((text, index) => ({ text, prefix: wildcard && index === words.length - 1 }));
}

/** Splits a query into tokens; every error names its 1-based position. */
export function lex(query: string): Token[] {
  const tokens: Token[] = [];
  let i = 0;
  while (i < query.length) {
    const ch = query.charAt(i);
    if (SPACE.test(ch)) {
      i++;
      continue;
    }
    if (ch === "(" || ch === ")") {
      tokens.push({ kind: ch === "(" ? "lparen" : "rparen", position: i + 1, raw: ch });
      i++;
      continue;
    }
    if (OPEN_QUOTES.has(ch) || CLOSE_QUOTES.has(ch)) {
      let end = i + 1;
      while (end < query.length && !CLOSE_QUOTES.has(query.charAt(end))) end++;
      if (end >= query.length) {
        throw new QuerySyntaxError(i + 1, 'Unclosed quote: end the phrase with "');
      }
      const inner = query.slice(i + 1, end);
      const words: WordPattern[] = [];
      const piece = /\S+/g;
      for (let match = piece.exec(inner); match; match = piece.exec(inner)) {
        // Punctuation between a phrase's words ("Seven & i", "Q&A - live") is ignored, as it is
        // in the text the phrase is matched against.
        if (!match[0].includes("*") && splitWords(match[0]).length === 0) continue;
        words.push(...piecePatterns(match[0], i + 1 + match.index));
      }
      if (words.length === 0) throw new QuerySyntaxError(i + 1, "Empty phrase: put words between the quotes");
      tokens.push({ kind: "phrase", position: i + 1, raw: query.slice(i, end + 1), words });
      i = end + 1;
      continue;
    }
    let end = i;
    while (end < query.length && !isDelimiter(query.charAt(end))) end++;
    const raw = query.slice(i, end);
    const position = i + 1;
    const colon = raw.indexOf(":");
    if (colon > 0 && /^[A-Za-z]+$/.test(raw.slice(0, colon))) {
      const name = raw.slice(0, colon).toLowerCase();
      if (!FIELDS.includes(name as Field)) {
        throw new QuerySyntaxError(
          position,
          `Unknown field "${raw.slice(0, colon)}:": the fields are title: and summary:`,
        );
      }
      const next = query.charAt(i + colon + 1);
      if (next === "" || SPACE.test(next) || next === ")") {
        throw new QuerySyntaxError(
          position,
          `Field prefix ${name}: must be followed directly by a word, a "phrase" or parentheses`,
        );
      }
      tokens.push({ kind: "field", position, raw: raw.slice(0, colon + 1), field: name as Field });
      i += colon + 1;
      continue;
    }
    if (raw === "AND" || raw === "OR" || raw === "NOT") {
      tokens.push({ kind: raw === "AND" ? "and" : raw === "OR" ? "or" : "not", position, raw });
    } else if (raw === "NEAR" || /^near\//i.test(raw)) {
      // "near/5" can only mean the operator; bare "near" stays a word unless written NEAR.
      const n = raw.slice(5);
      if (!/^\d{1,3}$/.test(n) || Number(n) > MAX_NEAR) {
        throw new QuerySyntaxError(
          position,
          `Bad ${raw}: write NEAR/n with n a whole number of words from 0 to ${MAX_NEAR}, as in NEAR/5`,
        );
      }
      tokens.push({ kind: "near", position, raw, distance: Number(n) });
    } else if (raw.startsWith("-") && raw.length > 1) {
      throw new QuerySyntaxError(position, `"${raw}": to exclude a word write NOT ${raw.slice(1)}`);
    } else {
      tokens.push({ kind: "term", position, raw, words: piecePatterns(raw, i) });
    }
    i = end;
  }
  return tokens;
}
