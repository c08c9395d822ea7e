import { z } from 'zod';
import { ADAPTERS_ENV_SHAPE } from '../../shared/config/adapters-env.ts';
import { LOGGING_ENV_SHAPE } from '../../shared/config/logging-env.ts';
import { checkSettingsForMode } from '../../shared/config/mode-settings.ts';
import { parseEnv } from '../../shared/config/parse-env.ts';
import { AUTH_ENV_SHAPE, hasJwksSource, JWKS_SOURCE_MESSAGE } from '../../shared/config/platform-env.ts';

/** `http://127.0.0.1:4010, http://localhost:4011` → their origins; empty or unset → none. */
const OriginListSchema = z
  .string()
  .optional()
  .transform((value, context) => {
    const items = (value ?? '')
      .split(',')
      .map((item) => item.trim())
      .filter(Boolean);
    const origins: string[] = [];
    for (const item of items) {
      if (!URL.canParse(item)) {
        context.addIssue({ code: 'custom', message: 'must be a comma-separated list of origins' });
        return z.NEVER;
      }
      origins.push(new URL(item).origin);
    }
    return origins.length > 0 ? origins : undefined;
  });

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
    /** Secret names are `<prefix>/ehr-signing/<tenantId>`; the IAM grants are scoped to the prefix. */
    EHR_SIGNING_SECRET_PREFIX: z
      .string()
      .regex(/^[A-Za-z0-9/_+=.@-]{1,100}$/)
      .default('gradiant-plugins'),
    /** Deployed: the KMS key the secrets are encrypted with (else Secrets Manager's own key). */
    EHR_SIGNING_KMS_KEY_ID: z.string().min(1).optional(),
    /** Local: where the key files go (`.data/keys/ehr`). */
    LOCAL_EHR_KEYS_DIRECTORY: z.string().min(1).optional(),
    /** Local only: EHR origins allowed although they are loopback and plain http (the FHIR stand-in). */
    EHR_LOOPBACK_ORIGINS: OriginListSchema,
    /** How long discovery at save and the connection test may wait for the EHR. */
    EHR_PROBE_TIMEOUT_MS: z.coerce.number().int().min(500).max(20_000).default(8_000),
  })
  .refine(hasJwksSource, JWKS_SOURCE_MESSAGE)
  .refine((env) => env.PLATFORM_MODE !== 'local' || env.LOCAL_EHR_KEYS_DIRECTORY !== undefined, {
    message: 'LOCAL_EHR_KEYS_DIRECTORY is required locally: where the EHR signing key files go',
    path: ['LOCAL_EHR_KEYS_DIRECTORY'],
  })
  .refine((env) => env.PLATFORM_MODE === 'local' || new URL(env.PUBLIC_API_BASE_URL).protocol === 'https:', {
    message: 'PUBLIC_API_BASE_URL must be https when deployed: EHRs fetch the JWKS from it',
    path: ['PUBLIC_API_BASE_URL'],
  })
  .superRefine(checkSettingsForMode);
export type EhrConnectionConfig = z.infer<typeof EhrConnectionConfigSchema>;

export const loadEhrConnectionConfig = (env: Record<string, string | undefined>): EhrConnectionConfig =>
  parseEnv(EhrConnectionConfigSchema, env);
