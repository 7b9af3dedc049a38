import { randomId } from "../lib/ids";

/** The Standard Webhooks `webhook-id`: minted once per (event, webhook), kept on every retry. */
export const newMessageId = (): string => randomId("msg_", 24);
export const newDeliveryId = (): string => randomId("dlv_");
export const newWebhookId = (): string => randomId("wh_");
