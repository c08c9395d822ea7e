import { z } from 'zod';
import { LOGGING_ENV_SHAPE } from '../../shared/config/logging-env.ts';
import { parseEnv } from '../../shared/config/parse-env.ts';

export const PlatformConfigSchema = z.object({
  ...LOGGING_ENV_SHAPE,
  PLATFORM_VERSION: z.string().min(1).default('0.0.0'),
  PLATFORM_MODE: z.enum(['aws', 'local']).default('aws'),
  /** JSON map of stand-in name to version, set by the local platform. */
  STAND_IN_VERSIONS: z.string().default('{}'),
});
export type PlatformConfig = z.infer<typeof PlatformConfigSchema>;

export const loadPlatformConfig = (env: Record<string, string | undefined>): PlatformConfig =>
  parseEnv(PlatformConfigSchema, env);
