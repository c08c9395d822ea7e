import { z } from 'zod';
import { ADAPTERS_ENV_SHAPE } from '../../shared/config/adapters-env.ts';
import { EHR_ENV_SHAPE, hasLocalEhrKeys, LOCAL_EHR_KEYS_MESSAGE } from '../../shared/config/ehr-env.ts';
import { LOGGING_ENV_SHAPE } from '../../shared/config/logging-env.ts';
import { checkSettingsForMode } from '../../shared/config/mode-settings.ts';
import { parseEnv } from '../../shared/config/parse-env.ts';

/** No token settings: the EHR authenticates with its subscription's secret, not a platform token. */
export const EhrNotificationsConfigSchema = z
  .object({
    ...ADAPTERS_ENV_SHAPE,
    ...LOGGING_ENV_SHAPE,
    ...EHR_ENV_SHAPE,
    /** Notifications admitted per tenant per minute, across every instance (fail closed beyond). */
    EHR_NOTIFICATIONS_PER_MINUTE: z.coerce.number().int().min(1).max(100_000).default(600),
    /** How long the re-reads of one notification may take, in ms (below the Lambda timeout). */
    EHR_NOTIFICATION_READ_BUDGET_MS: z.coerce.number().int().min(500).max(25_000).default(8_000),
  })
  .refine(hasLocalEhrKeys, LOCAL_EHR_KEYS_MESSAGE)
  .superRefine(checkSettingsForMode);
export type EhrNotificationsConfig = z.infer<typeof EhrNotificationsConfigSchema>;

export const loadEhrNotificationsConfig = (env: Record<string, string | undefined>): EhrNotificationsConfig =>
  parseEnv(EhrNotificationsConfigSchema, env);
