import { z } from 'zod';
import { ADAPTERS_ENV_SHAPE } from '../../shared/config/adapters-env.ts';
import { CURSOR_ENV_SHAPE, CURSOR_KEY_MESSAGE, hasCursorKey } from '../../shared/config/cursor-env.ts';
import { LOGGING_ENV_SHAPE } from '../../shared/config/logging-env.ts';
import { checkSettingsForMode } from '../../shared/config/mode-settings.ts';
import { parseEnv } from '../../shared/config/parse-env.ts';
import { AUTH_ENV_SHAPE, hasJwksSource, JWKS_SOURCE_MESSAGE } from '../../shared/config/platform-env.ts';

/** The audit query reads the audit table only; it signs nothing, so it needs no signing key. */
export const AuditConfigSchema = z
  .object({
    ...AUTH_ENV_SHAPE,
    ...ADAPTERS_ENV_SHAPE,
    ...CURSOR_ENV_SHAPE,
    ...LOGGING_ENV_SHAPE,
  })
  .refine(hasJwksSource, JWKS_SOURCE_MESSAGE)
  .refine(hasCursorKey, CURSOR_KEY_MESSAGE)
  .superRefine(checkSettingsForMode);
export type AuditConfig = z.infer<typeof AuditConfigSchema>;

export const loadAuditConfig = (env: Record<string, string | undefined>): AuditConfig =>
  parseEnv(AuditConfigSchema, env);
