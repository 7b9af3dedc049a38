import { createRoute, z } from "@hono/zod-openapi";
import { VERSION } from "../../version";
import type { App } from "../app";

const HealthSchema = z.object({ ok: z.literal(true), version: z.string() }).openapi("Health");

const healthRoute = createRoute({
  method: "get",
  path: "/v1/health",
  summary: "Liveness check (no authentication)",
  security: [],
  responses: {
    200: { description: "The Worker is up and configured", content: { "application/json": { schema: HealthSchema } } },
  },
});

export function registerHealthRoutes(app: App): void {
  app.openapi(healthRoute, (c) => c.json({ ok: true as const, version: VERSION }, 200));
}
