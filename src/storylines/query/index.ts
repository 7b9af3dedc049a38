export { atomKey, type CompiledQuery, compileAst, compileQuery } from "./compile";
export {
  type Field,
  MAX_NEAR,
  MAX_QUERY_CHARS,
  MAX_QUERY_DEPTH,
  MAX_QUERY_TERMS,
  QueryLimitError,
  QuerySyntaxError,
  type WordPattern,
} from "./lexer";
export { parseQuery, type QueryNode } from "./parser";
export { BOUND_PREFIXES, foldText, removeInvisible, splitWords } from "./text";
