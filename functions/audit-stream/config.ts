import type { z } from 'zod';
import { AdaptersEnvSchema } from '../../shared/config/adapters-env.ts';
import { LOGGING_ENV_SHAPE } from '../../shared/config/logging-env.ts';
import { METRICS_ENV_SHAPE } from '../../shared/config/metrics-env.ts';
import { checkSettingsForMode } from '../../shared/config/mode-settings.ts';
import { parseEnv } from '../../shared/config/parse-env.ts';
import {
  DELIVERY_QUEUE_MESSAGE,
  hasDeliveryQueue,
  WEBHOOK_ENV_SHAPE,
} from '../../shared/config/webhook-env.ts';

/**
 * The outbox consumer needs only what it delivers to: the audit table (outbox, chain heads, patient
 * index, events feed), the plugins table (tenant policies, the access monitor's state, the
 * webhooks, read), the compliance bucket (the chain), the bus and the webhook delivery queue.
 */
export const AuditStreamConfigSchema = AdaptersEnvSchema.pick({
  PLATFORM_MODE: true,
  PLUGINS_TABLE: true,
  AUDIT_TABLE: true,
  COMPLIANCE_LOG_BUCKET: true,
  EVENT_BUS_NAME: true,
  S3_FORCE_PATH_STYLE: true,
  AWS_ENDPOINT_URL_DYNAMODB: true,
  AWS_ENDPOINT_URL_S3: true,
})
  .extend({
    ...LOGGING_ENV_SHAPE,
    ...METRICS_ENV_SHAPE,
    WEBHOOK_DELIVERY_QUEUE_URL: WEBHOOK_ENV_SHAPE.WEBHOOK_DELIVERY_QUEUE_URL,
  })
  .refine(hasDeliveryQueue, DELIVERY_QUEUE_MESSAGE)
  .superRefine(checkSettingsForMode);
export type AuditStreamConfig = z.infer<typeof AuditStreamConfigSchema>;

export const loadAuditStreamConfig = (env: Record<string, string | undefined>): AuditStreamConfig =>
  parseEnv(AuditStreamConfigSchema, env);
