/**
 * Stage 4, alerts. In: alert events (a development created or updated, a feed failing or
 * recovered). Out: one delivery per webhook that wants the event, signed (Standard Webhooks),
 * sent from the `deliveries` queue, retried with backoff, every attempt logged.
 */
export { consumeDeadDeliveries, consumeDeliveries } from "./deliver";
export { enqueueAlert, sweepStalledDeliveries } from "./enqueue";
export { developmentEvent, feedEvent } from "./events";
export { createWebhook, redeliver } from "./webhooks";
