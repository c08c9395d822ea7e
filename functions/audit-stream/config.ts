import { z } from 'zod';
import { ADAPTERS_ENV_SHAPE } from '../../shared/config/adapters-env.ts';
import { LOGGING_ENV_SHAPE } from '../../shared/config/logging-env.ts';
import { METRICS_ENV_SHAPE } from '../../shared/config/metrics-env.ts';
import { checkSettingsForMode } from '../../shared/config/mode-settings.ts';
import { parseEnv } from '../../shared/config/parse-env.ts';

const {
  PLATFORM_MODE,
  PLUGINS_TABLE,
  AUDIT_TABLE,
  COMPLIANCE_LOG_BUCKET,
  EVENT_BUS_NAME,
  S3_FORCE_PATH_STYLE,
  AWS_ENDPOINT_URL_DYNAMODB,
  AWS_ENDPOINT_URL_S3,
} = ADAPTERS_ENV_SHAPE;

/**
 * The outbox consumer needs only what it delivers to: the audit table (outbox, chain heads, patient
 * index), the plugins table (tenant policies and the access monitor's state), the compliance bucket
 * (the chain) and the bus.
 */
export const AuditStreamConfigSchema = z
  .object({
    PLATFORM_MODE,
    PLUGINS_TABLE,
    AUDIT_TABLE,
    COMPLIANCE_LOG_BUCKET,
    EVENT_BUS_NAME,
    S3_FORCE_PATH_STYLE,
    AWS_ENDPOINT_URL_DYNAMODB,
    AWS_ENDPOINT_URL_S3,
    ...LOGGING_ENV_SHAPE,
    ...METRICS_ENV_SHAPE,
  })
  .superRefine(checkSettingsForMode);
export type AuditStreamConfig = z.infer<typeof AuditStreamConfigSchema>;

export const loadAuditStreamConfig = (env: Record<string, string | undefined>): AuditStreamConfig =>
  parseEnv(AuditStreamConfigSchema, env);
