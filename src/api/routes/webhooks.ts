import { createRoute, z } from "@hono/zod-openapi";
import { sendTestAlert } from "../../alerts/enqueue";
import { ALERT_EVENT_TYPES, createWebhook } from "../../alerts/webhooks";
import { decodeCursor } from "../../lib/cursor";
import { NotFound } from "../../lib/errors";
import { getDeliveryJson, listDeliveries } from "../../store/deliveries";
import {
  deleteWebhook,
  WebhookFormatSchema as FormatSchema,
  getWebhook,
  listWebhooks,
  WebhookSchema,
  webhookJson,
} from "../../store/webhooks";
import type { App } from "../app";
import { commonErrors, problemContent } from "../schemas";

const EventTypeSchema = z.enum(ALERT_EVENT_TYPES);

const CreatedWebhookSchema = WebhookSchema.extend({
  secret: z.string().openapi({
    description: "Signing secret (Standard Webhooks); shown only in this response",
    example: "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw",
  }),
}).openapi("CreatedWebhook");

const CreateWebhookSchema = z
  .strictObject({
    url: z.string().min(1).max(2048).openapi({ example: "https://hooks.example/storywatch" }),
    storylines: z
      .array(z.string().min(1))
      .min(1)
      .max(500)
      .nullable()
      .optional()
      .openapi({ description: "Only these storylines; leave out for all" }),
    format: FormatSchema.default("standard"),
    event_types: z
      .array(EventTypeSchema)
      .min(1)
      .optional()
      .openapi({ description: "Default: development.created and development.updated" }),
  })
  .openapi("CreateWebhook");

const AttemptSchema = z
  .object({
    attempt: z.number().int(),
    attempted_at: z.string(),
    finished_at: z.string().nullable().openapi({ description: "null while in flight (or after a crash mid-attempt)" }),
    status_code: z.number().int().nullable(),
    latency_ms: z.number().int().nullable(),
    error: z.string().nullable(),
    next_retry_at: z.string().nullable(),
    response_excerpt: z.string().nullable().openapi({ description: "First 1 KiB of the receiver's answer" }),
  })
  .openapi("DeliveryAttempt");

const DeliveryStateSchema = z.enum(["pending", "succeeded", "failed", "dead"]);

export const DeliverySchema = z
  .object({
    id: z.string(),
    webhook_id: z.string(),
    event_id: z.string(),
    event_type: z.enum([...ALERT_EVENT_TYPES, "webhook.test"]),
    message_id: z.string().openapi({ description: "The webhook-id header: the same on every attempt" }),
    state: DeliveryStateSchema.openapi({
      description:
        "pending: not attempted yet; failed: an attempt failed, another is due at next_attempt_at; succeeded; dead: out of attempts (redeliver with POST /v1/deliveries/{id}/retry)",
    }),
    attempt_count: z.number().int(),
    next_attempt_at: z.string().nullable(),
    last_status_code: z.number().int().nullable(),
    last_error: z.string().nullable(),
    created_at: z.string(),
    updated_at: z.string(),
    attempts: z.array(AttemptSchema),
  })
  .openapi("Delivery");

const IdParams = z.object({ id: z.string().min(1) });

const createRoute_ = createRoute({
  method: "post",
  path: "/v1/webhooks",
  summary: "Create a webhook; its signing secret is shown once",
  request: { body: { required: true, content: { "application/json": { schema: CreateWebhookSchema } } } },
  responses: {
    201: { description: "Created", content: { "application/json": { schema: CreatedWebhookSchema } } },
    ...commonErrors,
  },
});

const listRoute = createRoute({
  method: "get",
  path: "/v1/webhooks",
  summary: "List webhooks (without secrets)",
  responses: {
    200: {
      description: "All webhooks",
      content: { "application/json": { schema: z.object({ webhooks: z.array(WebhookSchema) }) } },
    },
    ...commonErrors,
  },
});

const getRoute = createRoute({
  method: "get",
  path: "/v1/webhooks/{id}",
  summary: "One webhook (without its secret)",
  request: { params: IdParams },
  responses: {
    200: { description: "The webhook", content: { "application/json": { schema: WebhookSchema } } },
    404: { description: "No such webhook", content: problemContent },
    ...commonErrors,
  },
});

const deleteRoute = createRoute({
  method: "delete",
  path: "/v1/webhooks/{id}",
  summary: "Delete a webhook and its delivery log",
  request: { params: IdParams },
  responses: {
    204: { description: "Deleted" },
    404: { description: "No such webhook", content: problemContent },
    ...commonErrors,
  },
});

const deliveriesRoute = createRoute({
  method: "get",
  path: "/v1/webhooks/{id}/deliveries",
  summary: "A webhook's deliveries, newest first, each with every attempt",
  request: {
    params: IdParams,
    query: z.object({
      state: DeliveryStateSchema.optional().openapi({ description: "e.g. dead, to find what to redeliver" }),
      limit: z.coerce.number().int().min(1).max(100).default(20),
      cursor: z.string().min(1).optional().openapi({ description: "next_cursor of the previous page" }),
    }),
  },
  responses: {
    200: {
      description: "One page of deliveries",
      content: {
        "application/json": {
          schema: z.object({ deliveries: z.array(DeliverySchema), next_cursor: z.string().nullable() }),
        },
      },
    },
    404: { description: "No such webhook", content: problemContent },
    ...commonErrors,
  },
});

const testRoute = createRoute({
  method: "post",
  path: "/v1/webhooks/{id}/test",
  summary: "Send a test alert (type webhook.test) to this webhook, signed, logged and retried like any alert",
  request: { params: IdParams },
  responses: {
    202: { description: "The test delivery, queued", content: { "application/json": { schema: DeliverySchema } } },
    404: { description: "No such webhook", content: problemContent },
    ...commonErrors,
  },
});

export function registerWebhookRoutes(app: App): void {
  app.openapi(createRoute_, async (c) => {
    const webhook = await createWebhook(c.env, c.req.valid("json"));
    c.header("location", `/v1/webhooks/${webhook.id}`);
    return c.json(webhook, 201);
  });

  app.openapi(listRoute, async (c) => c.json({ webhooks: (await listWebhooks(c.env.DB)).map(webhookJson) }, 200));

  app.openapi(getRoute, async (c) => {
    const { id } = c.req.valid("param");
    const row = await getWebhook(c.env.DB, id);
    if (!row) throw new NotFound("webhook", id);
    return c.json(webhookJson(row), 200);
  });

  app.openapi(deleteRoute, async (c) => {
    const { id } = c.req.valid("param");
    if (!(await deleteWebhook(c.env.DB, id))) throw new NotFound("webhook", id);
    return c.body(null, 204);
  });

  app.openapi(testRoute, async (c) => {
    const { id } = c.req.valid("param");
    const deliveryId = await sendTestAlert(c.env, id);
    const delivery = await getDeliveryJson(c.env.DB, deliveryId);
    if (!delivery) throw new NotFound("delivery", deliveryId);
    return c.json(delivery, 202);
  });

  app.openapi(deliveriesRoute, async (c) => {
    const { id } = c.req.valid("param");
    const { state, limit, cursor } = c.req.valid("query");
    const after = cursor === undefined ? undefined : decodeCursor(cursor, "dlv_");
    const position = after && { createdAt: after.at, id: after.id };
    if (!(await getWebhook(c.env.DB, id))) throw new NotFound("webhook", id);
    return c.json(await listDeliveries(c.env.DB, id, { state, limit, cursor: position }), 200);
  });
}
