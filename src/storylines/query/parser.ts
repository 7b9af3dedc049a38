import {
  type Field,
  lex,
  MAX_QUERY_CHARS,
  MAX_QUERY_DEPTH,
  MAX_QUERY_TERMS,
  QueryLimitError,
  QuerySyntaxError,
  type Token,
  type WordPattern,
} from "./lexer";
import { removeInvisible } from "./text";

/**
 * The query tree. A bare term is a one-word `words` node; a "phrase" (or a term that splits
 * into several words, like Putin-Trump) is a longer one, matched as consecutive words.
 */
export type QueryNode =
  | { type: "words"; words: WordPattern[]; field: Field | null }
  | { type: "near"; left: QueryNode; right: QueryNode; distance: number }
  | { type: "and"; children: QueryNode[] }
  | { type: "or"; children: QueryNode[] }
  | { type: "not"; child: QueryNode };

const BINARY = new Set<Token["kind"]>(["and", "or", "near"]);
const OPERATORS = new Set<Token["kind"]>(["and", "or", "near", "not", "field"]);

/**
 * Recursive descent over: or := and (OR and)* ; and := unary ((AND)? unary)* ;
 * unary := NOT unary | near ; near := primary (NEAR/n primary)* ;
 * primary := term | "phrase" | field: primary | ( or ).
 * So NEAR binds tightest, then NOT, then AND (explicit or implicit), then OR.
 */
class Parser {
  private index = 0;
  constructor(
    private readonly tokens: Token[],
    private readonly length: number,
  ) {}

  parse(): QueryNode {
    if (this.tokens.length === 0) throw new QuerySyntaxError(1, "Empty query: write at least one word");
    const node = this.parseOr(null);
    const extra = this.peek();
    if (extra) {
      // parseOr only stops early at a ")" it cannot match.
      throw new QuerySyntaxError(extra.position, "Unbalanced parentheses: this ) has no matching (");
    }
    return node;
  }

  private peek(): Token | undefined {
    return this.tokens[this.index];
  }

  private parseOr(field: Field | null): QueryNode {
    const children = [this.parseAnd(field)];
    while (this.peek()?.kind === "or") {
      this.index++;
      children.push(this.parseAnd(field));
    }
    return children.length === 1 ? (children[0] as QueryNode) : { type: "or", children };
  }

  private parseAnd(field: Field | null): QueryNode {
    const children = [this.parseUnary(field)];
    for (;;) {
      const next = this.peek();
      if (!next) break;
      if (next.kind === "and") {
        this.index++;
        children.push(this.parseUnary(field));
      } else if (
        next.kind === "term" ||
        next.kind === "phrase" ||
        next.kind === "lparen" ||
        next.kind === "not" ||
        next.kind === "field"
      ) {
        children.push(this.parseUnary(field)); // implicit AND between bare terms
      } else {
        break;
      }
    }
    return children.length === 1 ? (children[0] as QueryNode) : { type: "and", children };
  }

  private parseUnary(field: Field | null): QueryNode {
    if (this.peek()?.kind === "not") {
      this.index++;
      return { type: "not", child: this.parseUnary(field) };
    }
    return this.parseNear(field);
  }

  private parseNear(field: Field | null): QueryNode {
    let left = this.parsePrimary(field);
    for (let next = this.peek(); next?.kind === "near"; next = this.peek()) {
      this.index++;
      const right = this.parsePrimary(field);
      for (const operand of [left, right]) {
        if (operand.type === "and" || operand.type === "not" || (operand.type === "or" && !spansOnly(operand))) {
          throw new QuerySyntaxError(
            next.position,
            `${next.raw} joins words, phrases or OR groups of them, not AND or NOT: rewrite as (a NEAR/n b) AND c`,
          );
        }
      }
      left = { type: "near", left, right, distance: next.distance };
    }
    return left;
  }

  private parsePrimary(field: Field | null): QueryNode {
    const token = this.peek();
    const previous = this.tokens[this.index - 1];
    if (!token || token.kind === "rparen") {
      if (previous && OPERATORS.has(previous.kind)) {
        throw new QuerySyntaxError(previous.position, `Dangling operator: ${previous.raw} has nothing after it`);
      }
      if (token && previous?.kind === "lparen") {
        throw new QuerySyntaxError(previous.position, "Empty parentheses: put a word or phrase inside");
      }
      if (!token) throw new QuerySyntaxError(this.length + 1, "The query ends where a word was expected");
      throw new QuerySyntaxError(token.position, "Unbalanced parentheses: this ) has no matching (");
    }
    if (BINARY.has(token.kind)) {
      if (previous && OPERATORS.has(previous.kind)) {
        throw new QuerySyntaxError(
          token.position,
          `Dangling operator: ${token.raw} follows ${previous.raw} (at position ${previous.position}); put a word between them`,
        );
      }
      throw new QuerySyntaxError(token.position, `Dangling operator: ${token.raw} has nothing before it`);
    }
    this.index++;
    switch (token.kind) {
      case "term":
      case "phrase":
        return { type: "words", words: token.words, field };
      case "field": {
        if (field) {
          throw new QuerySyntaxError(
            token.position,
            `Field prefix ${token.raw} inside another field prefix (${field}:)`,
          );
        }
        return this.parsePrimary(token.field);
      }
      case "lparen": {
        const inner = this.parseOr(field);
        const close = this.peek();
        if (close?.kind !== "rparen") {
          throw new QuerySyntaxError(token.position, "Unbalanced parentheses: this ( is never closed");
        }
        this.index++;
        return inner;
      }
      default:
        // NOT is handled by parseUnary; here it follows NEAR/n or a field prefix, which need a word.
        throw new QuerySyntaxError(
          token.position,
          `${token.raw} cannot stand here: ${previous?.raw ?? "this"} needs a word, "phrase" or (group) next`,
        );
    }
  }
}

/** True for nodes that match at positions (words, NEAR, OR of those), so NEAR can use them. */
export function spansOnly(node: QueryNode): boolean {
  switch (node.type) {
    case "words":
    case "near":
      return true;
    case "or":
      return node.children.every(spansOnly);
    default:
      return false;
  }
}

/**
 * The size limits, so that no query costs much to parse or to match: the length before the
 * query is even cut into tokens, the terms and the nesting depth before it is parsed (the
 * parser recurses once per level).
 */
function checkLimits(query: string): Token[] {
  if (query.length > MAX_QUERY_CHARS) {
    throw new QueryLimitError(
      "length",
      MAX_QUERY_CHARS + 1,
      `The query is ${query.length} characters long; the most is ${MAX_QUERY_CHARS}: shorten it`,
    );
  }
  if (removeInvisible(query).trim() === "") {
    throw new QuerySyntaxError(1, "Empty query: write at least one word (invisible characters do not count)");
  }
  const tokens = lex(query);
  let terms = 0;
  let depth = 0;
  for (const token of tokens) {
    if (token.kind === "term" || token.kind === "phrase") {
      terms += token.words.length;
      if (terms > MAX_QUERY_TERMS) {
        throw new QueryLimitError(
          "terms",
          token.position,
          `The query has more than ${MAX_QUERY_TERMS} terms (words and the words of phrases): use fewer`,
        );
      }
    } else if (token.kind === "lparen") {
      depth++;
      if (depth > MAX_QUERY_DEPTH) {
        throw new QueryLimitError(
          "depth",
          token.position,
          `The parentheses nest more than ${MAX_QUERY_DEPTH} deep: flatten the query`,
        );
      }
    } else if (token.kind === "rparen") {
      depth = Math.max(0, depth - 1);
    }
  }
  return tokens;
}

/** Parses a query into its tree, or throws QuerySyntaxError naming the position and the problem. */
export function parseQuery(query: string): QueryNode {
  return new Parser(checkLimits(query), query.length).parse();
}
