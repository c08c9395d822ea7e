import type { z } from 'zod';
import { AdaptersEnvSchema } from '../../shared/config/adapters-env.ts';
import { LOGGING_ENV_SHAPE } from '../../shared/config/logging-env.ts';
import { METRICS_ENV_SHAPE } from '../../shared/config/metrics-env.ts';
import { checkSettingsForMode } from '../../shared/config/mode-settings.ts';
import { parseEnv } from '../../shared/config/parse-env.ts';

/**
 * The outbox consumer needs only what it delivers to: the audit table (outbox, chain heads, patient
 * index), the plugins table (tenant policies and the access monitor's state), the compliance bucket
 * (the chain) and the bus.
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
  })
  .superRefine(checkSettingsForMode);
export type AuditStreamConfig = z.infer<typeof AuditStreamConfigSchema>;

export const loadAuditStreamConfig = (env: Record<string, string | undefined>): AuditStreamConfig =>
  parseEnv(AuditStreamConfigSchema, env);
