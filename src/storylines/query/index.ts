export { atomKey, type CompiledQuery, compileQuery } from "./compile";
export { type Field, MAX_NEAR, QuerySyntaxError, type WordPattern } from "./lexer";
export { parseQuery, type QueryNode } from "./parser";
export { BOUND_PREFIXES, foldText, splitWords } from "./text";
