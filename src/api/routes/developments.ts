import { createRoute, z } from "@hono/zod-openapi";
import { AGREEMENT_STATUSES, EVENT_STATUSES } from "../../contracts";
import { decodeCursor } from "../../lib/cursor";
import { NotFound } from "../../lib/errors";
import { listDevelopments } from "../../store/developments";
import { storylineExists } from "../../store/storylines";
import type { App } from "../app";
import { commonErrors, problemContent } from "../schemas";

const StatusSchema = z.enum([...new Set([...EVENT_STATUSES, ...AGREEMENT_STATUSES])] as [string, ...string[]]);

const FactsSchema = z
  .object({
    date: z.string().nullable().optional().openapi({ example: "2025-08-15" }),
    place: z.string().nullable().optional().openapi({ example: "Alaska" }),
    participants: z.array(z.string()).nullable().optional(),
    note: z.string().nullable().optional(),
  })
  .openapi("Facts");

/** A development as the API and webhooks show it (../shared/DESIGN.md). */
export const DevelopmentSchema = z
  .object({
    id: z.string().openapi({ example: "dev_3f2a9c0d1e4b5a6978c0d1e2" }),
    storyline_id: z.string(),
    type: z.enum(["status_change", "new_fact", "coverage"]),
    status: StatusSchema.nullable(),
    previous_status: StatusSchema.nullable(),
    facts: FactsSchema,
    changes: z.array(z.object({ field: z.string(), from: z.unknown(), to: z.unknown() })),
    title: z.string(),
    summary: z.string().nullable(),
    confidence: z.number(),
    outlets: z.number().int().openapi({ description: "Independent outlets; wire copies count once" }),
    sources: z.array(
      z.object({
        url: z.string().nullable(),
        title: z.string().nullable(),
        feed_id: z.string().nullable(),
        outlet: z.string().nullable(),
        published_at: z.string().nullable(),
        quote: z.string().nullable().openapi({ description: "The sentence that carries the fact" }),
      }),
    ),
    first_seen_at: z.string(),
    updated_at: z.string(),
    baseline: z.boolean().openapi({ description: "Built silently from the first check: never alerted" }),
  })
  .openapi("Development");

const DevelopmentPageSchema = z
  .object({
    developments: z.array(DevelopmentSchema),
    next_cursor: z.string().nullable().openapi({ description: "Pass as ?cursor= for the next, older page" }),
  })
  .openapi("DevelopmentPage");

const listRoute = createRoute({
  method: "get",
  path: "/v1/storylines/{id}/developments",
  summary: "A storyline's developments, newest first",
  request: {
    params: z.object({ id: z.string().min(1) }),
    query: z.object({
      since: z
        .union([z.iso.datetime({ offset: true }), z.iso.date()])
        .optional()
        .openapi({
          description: "Only developments first seen at or after this ISO 8601 time (a bare date means 00:00 UTC)",
          example: "2025-08-01T00:00:00Z",
        }),
      limit: z.coerce.number().int().min(1).max(100).default(20),
      cursor: z.string().min(1).optional().openapi({ description: "next_cursor of the previous page" }),
    }),
  },
  responses: {
    200: {
      description: "One page of developments",
      content: { "application/json": { schema: DevelopmentPageSchema } },
    },
    404: { description: "No such storyline", content: problemContent },
    ...commonErrors,
  },
});

export function registerDevelopmentRoutes(app: App): void {
  app.openapi(listRoute, async (c) => {
    const { id } = c.req.valid("param");
    const { since, limit, cursor } = c.req.valid("query");
    const after = cursor === undefined ? undefined : decodeCursor(cursor, "dev_");
    const position = after && { firstSeenAt: after.at, id: after.id };
    if (!(await storylineExists(c.env.DB, id))) throw new NotFound("storyline", id);
    // Stored times are UTC ISO strings; compare like with like.
    const page = await listDevelopments(c.env.DB, id, {
      since: since ? new Date(since).toISOString() : undefined,
      limit,
      cursor: position,
    });
    return c.json(page, 200);
  });
}
