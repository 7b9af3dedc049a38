import type { z } from "@hono/zod-openapi";
import { ApiError } from "./problem";

export interface FieldError {
  /** Where the bad value is, e.g. "body.url" or "query.limit". */
  field: string;
  /** What is wrong and what to change. */
  message: string;
}

function describeIssue(issue: z.core.$ZodIssue): string {
  switch (issue.code) {
    case "invalid_type":
      return issue.input === undefined
        ? `is required (expected ${issue.expected})`
        : `must be ${issue.expected}, not ${typeof issue.input}`;
    case "unrecognized_keys":
      return `has unknown field(s) ${issue.keys.map((k) => `"${k}"`).join(", ")}: remove them`;
    default:
      return issue.message;
  }
}

/** Turns zod issues into one 400 problem that names every bad field and what to change. */
export function validationProblem(target: string, issues: readonly z.core.$ZodIssue[]): ApiError {
  const errors: FieldError[] = issues.map((issue) => ({
    field: [target, ...issue.path.map(String)].join("."),
    message: describeIssue(issue),
  }));
  const detail = errors.map((e) => `${e.field} ${e.message}`).join("; ");
  return new ApiError({
    status: 400,
    slug: "validation-failed",
    title: "Request validation failed",
    detail: `${detail}.`,
    extensions: { errors },
  });
}
