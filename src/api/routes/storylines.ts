import { createRoute, z } from "@hono/zod-openapi";
import { StorylineIdSchema, StorylineInputSchema, StorylinePatchSchema } from "../../storylines/schema";
import {
  changeStoryline,
  createStoryline,
  getStoryline,
  listStorylines,
  removeStoryline,
} from "../../storylines/service";
import type { App } from "../app";
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

export function registerStorylineRoutes(app: App): void {
  app.openapi(createStorylineRoute, async (c) => {
    const storyline = await createStoryline(c.env, c.req.valid("json"));
    return c.json(storyline, 201, { location: `/v1/storylines/${storyline.id}` });
  });

  app.openapi(listStorylinesRoute, async (c) => c.json({ storylines: await listStorylines(c.env) }, 200));

  app.openapi(getStorylineRoute, async (c) => c.json(await getStoryline(c.env, c.req.valid("param").id), 200));

  app.openapi(patchStorylineRoute, async (c) =>
    c.json(await changeStoryline(c.env, c.req.valid("param").id, c.req.valid("json")), 200),
  );

  app.openapi(deleteStorylineRoute, async (c) => {
    await removeStoryline(c.env, c.req.valid("param").id);
    return c.body(null, 204);
  });
}
