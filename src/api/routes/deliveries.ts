import { createRoute, z } from "@hono/zod-openapi";
import { redeliver } from "../../alerts/webhooks";
import type { App } from "../app";
import { commonErrors, problemContent } from "../schemas";
import { DeliverySchema } from "./webhooks";

const retryRoute = createRoute({
  method: "post",
  path: "/v1/deliveries/{id}/retry",
  summary: "Deliver again now, with the same webhook-id (dead and succeeded deliveries too)",
  request: { params: z.object({ id: z.string().min(1) }) },
  responses: {
    202: {
      description: "Queued; watch GET /v1/webhooks/{id}/deliveries for the attempt",
      content: { "application/json": { schema: DeliverySchema } },
    },
    404: { description: "No such delivery", content: problemContent },
    ...commonErrors,
  },
});

export function registerDeliveryRoutes(app: App): void {
  app.openapi(retryRoute, async (c) => c.json(await redeliver(c.env, c.req.valid("param").id), 202));
}
