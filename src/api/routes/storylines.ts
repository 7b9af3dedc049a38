import { createRoute, z } from "@hono/zod-openapi";
import { ManagedByConfig, NotFound } from "../../lib/errors";
import {
  deleteStoryline,
  getStorylineRow,
  insertStoryline,
  listStorylineRows,
  type StorylineRow,
  storylineJson,
  toRecord,
  unknownFeedIds,
  updateStoryline,
} from "../../store/storylines";
import { backfillStoryline, restartStoryline } from "../../storylines/dispatch";
import { StorylineIdSchema, StorylineInputSchema, StorylinePatchSchema } from "../../storylines/schema";
import type { App } from "../app";
import { ApiError } from "../problem";
import { commonErrors, problemContent } from "../schemas";
import { DevelopmentSchema } from "./developments";

const StorylineSchema = z
  .object({
    id: z.string().openapi({ example: "putin-trump-summit" }),
    title: z.string(),
    kind: z.enum(["event", "agreement", "topic"]),
    query: z.string(),
    feeds: z.array(z.string()).nullable().openapi({ description: "Feed ids it watches; null = all feeds" }),
    alert_on: z.array(z.enum(["status_change", "new_fact", "coverage"])),
    aliases: z.record(z.string(), z.array(z.string())).nullable(),
    participants: z
      .array(z.object({ name: z.string(), aliases: z.array(z.string()).optional() }))
      .nullable()
      .openapi({ description: "Declared principals whose acts move the status; the title's parties count too" }),
    active: z.boolean(),
    source: z.enum(["api", "config"]).openapi({ description: "config: declared in storylines.json" }),
    status: z.string().nullable().openapi({ description: "null until the coverage supports one; topics have none" }),
    facts: z.object({
      date: z.string().nullable(),
      place: z.string().nullable(),
      participants: z.array(z.string()).nullable(),
      note: z.string().nullable(),
    }),
    feed_key: z.string().openapi({ description: "Read-only key for the Atom feed (?key=)" }),
    last_development: DevelopmentSchema.nullable(),
    created_at: z.string(),
    updated_at: z.string(),
    last_error: z.string().nullable().openapi({
      description:
        "The storyline's own health: what last went wrong for it (a query too costly for an item, a detector failure); never a feed's failure",
    }),
    failing_since: z.string().nullable(),
  })
  .openapi("Storyline");

const json = <T extends z.ZodType>(schema: T) => ({ "application/json": { schema } });
const idParam = z.object({ id: StorylineIdSchema });

const createStorylineRoute = createRoute({
  method: "post",
  path: "/v1/storylines",
  summary: "Track a storyline",
  description:
    "Creates the storyline and builds its baseline from recently stored items (silently: old news never alerts).",
  request: { body: { required: true, content: json(StorylineInputSchema) } },
  responses: {
    201: { description: "Created", content: json(StorylineSchema) },
    409: { description: "A storyline with this id exists", content: problemContent },
    ...commonErrors,
  },
});

const listStorylinesRoute = createRoute({
  method: "get",
  path: "/v1/storylines",
  summary: "All storylines, oldest first",
  responses: {
    200: { description: "The storylines", content: json(z.object({ storylines: z.array(StorylineSchema) })) },
    ...commonErrors,
  },
});

const getStorylineRoute = createRoute({
  method: "get",
  path: "/v1/storylines/{id}",
  summary: "A storyline with its status, facts and last development",
  request: { params: idParam },
  responses: {
    200: { description: "The storyline", content: json(StorylineSchema) },
    404: { description: "No such storyline", content: problemContent },
    ...commonErrors,
  },
});

const patchStorylineRoute = createRoute({
  method: "patch",
  path: "/v1/storylines/{id}",
  summary: "Change a storyline",
  description:
    "Only the fields given change; `feeds: null` watches all feeds again. A new query or feed list rebuilds the baseline.",
  request: { params: idParam, body: { required: true, content: json(StorylinePatchSchema) } },
  responses: {
    200: { description: "The changed storyline", content: json(StorylineSchema) },
    404: { description: "No such storyline", content: problemContent },
    409: { description: "Declared in storylines.json: change it there", content: problemContent },
    ...commonErrors,
  },
});

const deleteStorylineRoute = createRoute({
  method: "delete",
  path: "/v1/storylines/{id}",
  summary: "Stop tracking a storyline and delete its developments",
  request: { params: idParam },
  responses: {
    204: { description: "Deleted" },
    404: { description: "No such storyline", content: problemContent },
    409: { description: "Declared in storylines.json: remove it there", content: problemContent },
    ...commonErrors,
  },
});

async function requireKnownFeeds(db: D1Database, feeds: string[] | null | undefined): Promise<void> {
  if (!feeds) return;
  const unknown = await unknownFeedIds(db, feeds);
  if (unknown.length === 0) return;
  const message = `names no feed: ${unknown.map((id) => `"${id}"`).join(", ")}; list feeds with GET /v1/feeds`;
  throw new ApiError({
    status: 400,
    slug: "validation-failed",
    title: "Request validation failed",
    detail: `json.feeds ${message}.`,
    extensions: { errors: [{ field: "json.feeds", message }] },
  });
}

/**
 * Builds the baseline inside the request (from scratch when the kind changed): the response then shows the status the stored
 * coverage supports, and the work is bounded (BACKFILL_LIMIT items). A failure is logged, not
 * returned: the storyline exists and sees every new item either way.
 */
async function buildBaseline(env: Env, row: StorylineRow, restart = false): Promise<StorylineRow> {
  try {
    await (restart ? restartStoryline : backfillStoryline)(env, toRecord(row));
  } catch (error) {
    console.error(`storyline ${row.id}: baseline from stored items failed:`, error);
  }
  return (await getStorylineRow(env.DB, row.id)) ?? row;
}

export function registerStorylineRoutes(app: App): void {
  app.openapi(createStorylineRoute, async (c) => {
    const input = c.req.valid("json");
    await requireKnownFeeds(c.env.DB, input.feeds);
    const row = await insertStoryline(c.env.DB, input, { source: "api", now: new Date().toISOString() });
    if (!row) {
      throw new ApiError({
        status: 409,
        slug: "already-exists",
        title: "Storyline exists",
        detail: `A storyline with id "${input.id}" exists: choose another id, or change it with PATCH /v1/storylines/${input.id}.`,
        extensions: { existing: `/v1/storylines/${input.id}` },
      });
    }
    const storyline = await storylineJson(c.env.DB, await buildBaseline(c.env, row));
    return c.json(storyline, 201, { location: `/v1/storylines/${row.id}` });
  });

  app.openapi(listStorylinesRoute, async (c) => {
    const rows = await listStorylineRows(c.env.DB);
    return c.json({ storylines: await Promise.all(rows.map((row) => storylineJson(c.env.DB, row))) }, 200);
  });

  app.openapi(getStorylineRoute, async (c) => {
    const { id } = c.req.valid("param");
    const row = await getStorylineRow(c.env.DB, id);
    if (!row) throw new NotFound("storyline", id);
    return c.json(await storylineJson(c.env.DB, row), 200);
  });

  app.openapi(patchStorylineRoute, async (c) => {
    const { id } = c.req.valid("param");
    const patch = c.req.valid("json");
    const existing = await getStorylineRow(c.env.DB, id);
    if (!existing) throw new NotFound("storyline", id);
    if (existing.source === "config") throw new ManagedByConfig("storyline", id, "change");
    await requireKnownFeeds(c.env.DB, patch.feeds);
    let row = await updateStoryline(c.env.DB, id, patch, new Date().toISOString());
    if (!row) throw new NotFound("storyline", id);
    const rematch =
      (patch.query !== undefined && patch.query !== existing.query) ||
      patch.feeds !== undefined ||
      (patch.active === true && existing.active === 0);
    const kindChanged = patch.kind !== undefined && patch.kind !== existing.kind;
    if (kindChanged || rematch) row = await buildBaseline(c.env, row, kindChanged);
    return c.json(await storylineJson(c.env.DB, row), 200);
  });

  app.openapi(deleteStorylineRoute, async (c) => {
    const { id } = c.req.valid("param");
    const existing = await getStorylineRow(c.env.DB, id);
    if (!existing) throw new NotFound("storyline", id);
    if (existing.source === "config") throw new ManagedByConfig("storyline", id, "remove");
    await deleteStoryline(c.env.DB, id);
    // The detector's memory goes too (it would also start over for a new storyline of the same id).
    const detector = c.env.STORYLINES.get(c.env.STORYLINES.idFromName(id));
    await detector.reset(id).catch((error: unknown) => console.error(`storyline ${id}: detector reset failed:`, error));
    return c.body(null, 204);
  });
}
