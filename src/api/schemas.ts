import { z } from "@hono/zod-openapi";

/** RFC 9457 problem details, as every error of this API is shaped. */
export const ProblemSchema = z
  .object({
    type: z.string().openapi({ example: "urn:storywatch:problem:validation-failed" }),
    title: z.string(),
    status: z.number().int(),
    detail: z.string(),
    instance: z.string().optional(),
    errors: z.array(z.object({ field: z.string(), message: z.string() })).optional(),
  })
  .openapi("Problem");

export const problemContent = {
  "application/problem+json": { schema: ProblemSchema },
} as const;

/** The error responses every authenticated route can give. */
export const commonErrors = {
  400: { description: "Invalid request: `detail` and `errors` say what to change", content: problemContent },
  401: { description: "Missing or wrong bearer token", content: problemContent },
  413: { description: "Request body over 256 KB (refused before it is read whole)", content: problemContent },
  500: { description: "Server error or misconfiguration", content: problemContent },
} as const;
