import { z } from 'zod';
import { ADAPTERS_ENV_SHAPE } from '../../shared/config/adapters-env.ts';
import { EHR_ENV_SHAPE, hasLocalEhrKeys, LOCAL_EHR_KEYS_MESSAGE } from '../../shared/config/ehr-env.ts';
import { LOGGING_ENV_SHAPE } from '../../shared/config/logging-env.ts';
import { checkSettingsForMode } from '../../shared/config/mode-settings.ts';
import { parseEnv } from '../../shared/config/parse-env.ts';
import { AUTH_ENV_SHAPE, hasJwksSource, JWKS_SOURCE_MESSAGE } from '../../shared/config/platform-env.ts';

/**
 * The EHR connection function: its store (the plugins table, the outbox in the audit table), the
 * tenants' signing keys (Secrets Manager deployed, a key directory locally) and the public base
 * URL the JWKS URLs are built on.
 */
export const EhrConnectionConfigSchema = z
  .object({
    ...AUTH_ENV_SHAPE,
    ...ADAPTERS_ENV_SHAPE,
    ...LOGGING_ENV_SHAPE,
    /** The API's public base (deployed: the API Gateway URL or custom domain; local: the platform's origin). */
    PUBLIC_API_BASE_URL: z.url({ protocol: /^https?$/ }),
    ...EHR_ENV_SHAPE,
    /** How long discovery at save and the connection test may wait for the EHR. */
    EHR_PROBE_TIMEOUT_MS: z.coerce.number().int().min(500).max(20_000).default(8_000),
  })
  .refine(hasJwksSource, JWKS_SOURCE_MESSAGE)
  .refine(hasLocalEhrKeys, LOCAL_EHR_KEYS_MESSAGE)
  .refine((env) => env.PLATFORM_MODE === 'local' || new URL(env.PUBLIC_API_BASE_URL).protocol === 'https:', {
    message: 'PUBLIC_API_BASE_URL must be https when deployed: EHRs fetch the JWKS from it',
    path: ['PUBLIC_API_BASE_URL'],
  })
  .superRefine(checkSettingsForMode);
export type EhrConnectionConfig = z.infer<typeof EhrConnectionConfigSchema>;

export const loadEhrConnectionConfig = (env: Record<string, string | undefined>): EhrConnectionConfig =>
  parseEnv(EhrConnectionConfigSchema, env);
