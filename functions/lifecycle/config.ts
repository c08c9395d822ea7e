import { z } from 'zod';
import { ADAPTERS_ENV_SHAPE, hasSigningKey, SIGNING_KEY_MESSAGE } from '../../shared/config/adapters-env.ts';
import { CURSOR_ENV_SHAPE, CURSOR_KEY_MESSAGE, hasCursorKey } from '../../shared/config/cursor-env.ts';
import { LOGGING_ENV_SHAPE } from '../../shared/config/logging-env.ts';
import { checkSettingsForMode } from '../../shared/config/mode-settings.ts';
import { parseEnv } from '../../shared/config/parse-env.ts';
import { AUTH_ENV_SHAPE, hasJwksSource, JWKS_SOURCE_MESSAGE } from '../../shared/config/platform-env.ts';

export const LifecycleConfigSchema = z
  .object({
    ...AUTH_ENV_SHAPE,
    ...ADAPTERS_ENV_SHAPE,
    ...CURSOR_ENV_SHAPE,
    ...LOGGING_ENV_SHAPE,
    /** Deployed: the execution Lambda the invoke route calls synchronously. */
    EXECUTION_FUNCTION_NAME: z.string().min(1).default('gradiant-plugins-execution'),
    /**
     * Local platform only: execution worker processes (about 140 MB RSS each). At least 2, so that one
     * tenant (at most size − 1 workers) never holds them all.
     */
    LOCAL_EXECUTION_WORKERS: z.coerce.number().int().min(2).max(16).default(3),
  })
  .refine(hasJwksSource, JWKS_SOURCE_MESSAGE)
  .refine(hasSigningKey, SIGNING_KEY_MESSAGE)
  .refine(hasCursorKey, CURSOR_KEY_MESSAGE)
  .superRefine(checkSettingsForMode);
export type LifecycleConfig = z.infer<typeof LifecycleConfigSchema>;

export const loadLifecycleConfig = (env: Record<string, string | undefined>): LifecycleConfig =>
  parseEnv(LifecycleConfigSchema, env);
