import { z } from 'zod';
import { ADAPTERS_ENV_SHAPE, hasSigningKey, SIGNING_KEY_MESSAGE } from '../../shared/config/adapters-env.ts';
import { EHR_ENV_SHAPE, hasLocalEhrKeys, LOCAL_EHR_KEYS_MESSAGE } from '../../shared/config/ehr-env.ts';
import { LOGGING_ENV_SHAPE } from '../../shared/config/logging-env.ts';
import { METRICS_ENV_SHAPE } from '../../shared/config/metrics-env.ts';
import { checkSettingsForMode } from '../../shared/config/mode-settings.ts';
import { parseEnv } from '../../shared/config/parse-env.ts';

/** The execution function needs no token settings: it is only invoked by the platform itself. */
export const ExecutionConfigSchema = z
  .object({ ...ADAPTERS_ENV_SHAPE, ...LOGGING_ENV_SHAPE, ...METRICS_ENV_SHAPE, ...EHR_ENV_SHAPE })
  .refine(hasSigningKey, SIGNING_KEY_MESSAGE)
  .refine(hasLocalEhrKeys, LOCAL_EHR_KEYS_MESSAGE)
  .superRefine(checkSettingsForMode);
export type ExecutionConfig = z.infer<typeof ExecutionConfigSchema>;

export const loadExecutionConfig = (env: Record<string, string | undefined>): ExecutionConfig =>
  parseEnv(ExecutionConfigSchema, env);
