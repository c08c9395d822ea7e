import { loadWebhookDeliveryConfig } from './config.ts';
import { createWebhookDeliveryHandler } from './wiring.ts';

/** The only reader of the Lambda environment: parsed once, at cold start. */
export const handler = createWebhookDeliveryHandler(loadWebhookDeliveryConfig(process.env));
