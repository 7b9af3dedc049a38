import type { z } from "@hono/zod-openapi";
import { ApiError } from "./problem";

export interface FieldError {
  /** The field as the client sent it: "url", "participants.0.name", "limit"; "body" for the body as a whole. */
  field: string;
  /** What is wrong and what to change, in plain words. */
  message: string;
}

/** How zod's built-in messages begin ("Invalid input: …", "Too small: …"). */
const ZOD_DEFAULT = /^(Invalid|Too (small|big)|Unrecognized|Expected)\b/;

const plural = (n: number | bigint, one: string, many: string) => `${n} ${Number(n) === 1 ? one : many}`;

const TYPE_WORDS: Record<string, string> = {
  string: "text",
  number: "a number",
  int: "a whole number",
  boolean: "true or false",
  array: "a list",
  object: "an object",
  record: "an object",
};

function sizeWords(origin: string, n: number | bigint): string {
  if (origin === "string") return plural(n, "character", "characters");
  if (origin === "array" || origin === "set") return plural(n, "item", "items");
  return String(n);
}

/** One plain sentence fragment per issue: what is wrong and what to send instead. */
function describeIssue(issue: z.core.$ZodIssue): string {
  // Our schemas' own messages ("must be a slug: …") already speak plainly; zod's defaults do not.
  if (issue.code !== "unrecognized_keys" && !ZOD_DEFAULT.test(issue.message)) return issue.message;
  switch (issue.code) {
    case "invalid_type": {
      const expected = TYPE_WORDS[issue.expected] ?? issue.expected;
      // zod leaves the input out of its issues; its message says what it received.
      const received = /received (\w+)/.exec(issue.message)?.[1];
      return received === "undefined" ? `is required (${expected})` : `must be ${expected}`;
    }
    case "unrecognized_keys":
      return `has unknown ${issue.keys.length === 1 ? "field" : "fields"} ${issue.keys.map((k) => `"${k}"`).join(", ")}: remove ${issue.keys.length === 1 ? "it" : "them"}`;
    case "too_small":
      if (issue.origin === "string" && Number(issue.minimum) === 1) return "must not be empty";
      if (issue.origin === "array" && Number(issue.minimum) === 1)
        return "must list at least one item (or leave it out)";
      return `must be at least ${sizeWords(issue.origin, issue.minimum)}`;
    case "too_big":
      return `must be at most ${sizeWords(issue.origin, issue.maximum)}`;
    case "invalid_value": {
      const options = issue.values.map((v) => JSON.stringify(v));
      const list = options.length > 1 ? `${options.slice(0, -1).join(", ")} or ${options.at(-1)}` : options[0];
      return `must be ${list}`;
    }
    case "invalid_format":
      return issue.format === "url" ? "must be an http(s) URL" : `must be a valid ${issue.format}`;
    case "invalid_union":
      return "does not have a form this field takes: see /docs";
    default:
      // Our own refinements (custom issues) already speak plainly.
      return issue.message;
  }
}

/**
 * Turns zod issues into one 400 problem that names each bad field as the client sent it (no
 * `json.` prefix) with one plain message each: the first problem of a field is the one to fix.
 */
export function validationProblem(target: string, issues: readonly z.core.$ZodIssue[]): ApiError {
  const errors: FieldError[] = [];
  for (const issue of issues) {
    const field = issue.path.length > 0 ? issue.path.map(String).join(".") : target === "json" ? "body" : target;
    if (errors.some((e) => e.field === field)) continue;
    errors.push({ field, message: describeIssue(issue) });
  }
  const where = target === "query" ? " (query string)" : target === "param" ? " (path)" : "";
  const detail = errors.map((e) => `${e.field}${where} ${e.message}.`).join(" ");
  return new ApiError({
    status: 400,
    slug: "validation-failed",
    title: "Request validation failed",
    detail,
    extensions: { errors },
  });
}
