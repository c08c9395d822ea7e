import { z } from 'zod';
import { OSV_NPM_EXPORT_URL } from '../../shared/adapters/osv/https-osv-export.ts';
import { ADAPTERS_ENV_SHAPE, hasSigningKey, SIGNING_KEY_MESSAGE } from '../../shared/config/adapters-env.ts';
import { LOGGING_ENV_SHAPE } from '../../shared/config/logging-env.ts';
import { checkSettingsForMode } from '../../shared/config/mode-settings.ts';
import { parseEnv } from '../../shared/config/parse-env.ts';

/**
 * The scheduled refresh downloads OSV's npm export, stores it in the artifact bucket and rescans:
 * so it reads the catalogue and installations and disables (through the lifecycle) where a
 * tenant's policy says so, which needs the plugins and marketplace tables and the platform key.
 */
export const AdvisoryRefreshConfigSchema = z
  .object({
    ...ADAPTERS_ENV_SHAPE,
    ...LOGGING_ENV_SHAPE,
    OSV_EXPORT_URL: z.url({ protocol: /^https$/ }).default(OSV_NPM_EXPORT_URL),
    /** The export is ~tens of MB zipped; refused beyond this (and its unzip beyond 8 times it). */
    OSV_EXPORT_MAX_BYTES: z.coerce
      .number()
      .int()
      .min(1024)
      .max(512 * 1024 * 1024)
      .default(128 * 1024 * 1024),
    OSV_EXPORT_TIMEOUT_MS: z.coerce.number().int().min(1000).max(600_000).default(120_000),
  })
  .refine(hasSigningKey, SIGNING_KEY_MESSAGE)
  .superRefine(checkSettingsForMode);
export type AdvisoryRefreshConfig = z.infer<typeof AdvisoryRefreshConfigSchema>;

export const loadAdvisoryRefreshConfig = (env: Record<string, string | undefined>): AdvisoryRefreshConfig =>
  parseEnv(AdvisoryRefreshConfigSchema, env);
