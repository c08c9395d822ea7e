import type { z } from 'zod';
import { AdaptersEnvSchema } from '../../shared/config/adapters-env.ts';
import { LOGGING_ENV_SHAPE } from '../../shared/config/logging-env.ts';
import { checkSettingsForMode } from '../../shared/config/mode-settings.ts';
import { parseEnv } from '../../shared/config/parse-env.ts';
import {
  DELIVERY_QUEUE_MESSAGE,
  hasDeliveryQueue,
  hasWebhookSecretKey,
  WEBHOOK_ENV_SHAPE,
  WEBHOOK_SECRET_KEY_MESSAGE,
} from '../../shared/config/webhook-env.ts';

/**
 * The delivery function needs the webhooks (the plugins table: read, and each one's last delivery),
 * the key their secrets are sealed with (Decrypt only) and the queue its retries go back to.
 * No audit table beyond its name, no bus, no artifacts.
 */
export const WebhookDeliveryConfigSchema = AdaptersEnvSchema.pick({
  PLATFORM_MODE: true,
  PLUGINS_TABLE: true,
  AUDIT_TABLE: true,
  AWS_ENDPOINT_URL_DYNAMODB: true,
  AWS_ENDPOINT_URL_S3: true,
  S3_FORCE_PATH_STYLE: true,
})
  .extend({ ...LOGGING_ENV_SHAPE, ...WEBHOOK_ENV_SHAPE })
  .refine(hasWebhookSecretKey, WEBHOOK_SECRET_KEY_MESSAGE)
  .refine(hasDeliveryQueue, DELIVERY_QUEUE_MESSAGE)
  .superRefine(checkSettingsForMode);
export type WebhookDeliveryConfig = z.infer<typeof WebhookDeliveryConfigSchema>;

export const loadWebhookDeliveryConfig = (env: Record<string, string | undefined>): WebhookDeliveryConfig =>
  parseEnv(WebhookDeliveryConfigSchema, env);
