import { createRoute, z } from "@hono/zod-openapi";
import { runTick } from "../../feeds/scheduler";
import { NotFound } from "../../lib/errors";
import { getRun, listRuns, RunSchema, runJson } from "../../store/runs";
import type { App } from "../app";
import { ApiError } from "../problem";
import { commonErrors, problemContent } from "../schemas";

const startRunRoute = createRoute({
  method: "post",
  path: "/v1/runs",
  summary: "Poll every feed now",
  responses: {
    202: { description: "The run, started", content: { "application/json": { schema: RunSchema } } },
    ...commonErrors,
  },
});

const listRunsRoute = createRoute({
  method: "get",
  path: "/v1/runs",
  summary: "Recent runs, newest first",
  request: { query: z.object({ limit: z.coerce.number().int().min(1).max(200).default(50) }) },
  responses: {
    200: { description: "Runs", content: { "application/json": { schema: z.object({ runs: z.array(RunSchema) }) } } },
    ...commonErrors,
  },
});

const getRunRoute = createRoute({
  method: "get",
  path: "/v1/runs/{id}",
  summary: "One run",
  request: { params: z.object({ id: z.string().min(1) }) },
  responses: {
    200: { description: "The run", content: { "application/json": { schema: RunSchema } } },
    404: { description: "No such run", content: problemContent },
    ...commonErrors,
  },
});

export function registerRunRoutes(app: App): void {
  app.openapi(startRunRoute, async (c) => {
    const run = await runTick(c.env, "manual");
    if (!run) {
      throw new ApiError({
        status: 500,
        slug: "internal-error",
        title: "Internal error",
        detail: "The run was not recorded; try again.",
      });
    }
    c.header("location", `/v1/runs/${run.id}`);
    return c.json(runJson(run), 202);
  });

  app.openapi(listRunsRoute, async (c) => {
    const { limit } = c.req.valid("query");
    return c.json({ runs: (await listRuns(c.env.DB, limit)).map(runJson) }, 200);
  });

  app.openapi(getRunRoute, async (c) => {
    const { id } = c.req.valid("param");
    const row = await getRun(c.env.DB, id);
    if (!row) throw new NotFound("run", id);
    return c.json(runJson(row), 200);
  });
}
