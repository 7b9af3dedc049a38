import { createRoute, z } from "@hono/zod-openapi";
import { compileMatcher, preparePlainText } from "../../storylines/matcher";
import { QuerySchema } from "../../storylines/schema";
import type { App } from "../app";
import { ApiError } from "../problem";
import { commonErrors } from "../schemas";

const QueryTestSchema = z
  .strictObject({
    query: QuerySchema,
    texts: z
      .array(z.string().max(20_000))
      .max(100)
      .default([])
      .openapi({ description: "Sample texts; each counts as both title and summary" }),
  })
  .openapi("QueryTest");

const testQueryRoute = createRoute({
  method: "post",
  path: "/v1/queries/test",
  summary: "Try a query against sample texts before saving it",
  description: "A query that does not parse is a 400 whose `detail` and `errors` name the position and the problem.",
  request: { body: { required: true, content: { "application/json": { schema: QueryTestSchema } } } },
  responses: {
    200: {
      description: "The query parses; whether it matches each text, in order",
      content: {
        "application/json": {
          schema: z.object({ valid: z.literal(true), matches: z.array(z.boolean()) }).openapi("QueryTestResult"),
        },
      },
    },
    ...commonErrors,
  },
});

export function registerQueryRoutes(app: App): void {
  app.openapi(testQueryRoute, (c) => {
    const { query, texts } = c.req.valid("json");
    const matcher = compileMatcher([{ key: 0, query }]);
    let tooCostly: { index: number; reason: string } | null = null;
    const matches = texts.map((text, index) => {
      const matched = matcher.match(preparePlainText(text), undefined, (_key, reason) => {
        tooCostly ??= { index, reason };
      });
      return matched.length > 0;
    });
    if (tooCostly) {
      const { index, reason } = tooCostly;
      throw new ApiError({
        status: 400,
        slug: "query-too-costly",
        title: "Query too costly",
        detail: `On texts[${index}], ${reason}. A saved storyline would not match such an item: use rarer words or a shorter NEAR chain.`,
        extensions: { errors: [{ field: `texts.${index}`, message: reason }] },
      });
    }
    return c.json({ valid: true as const, matches }, 200);
  });
}
