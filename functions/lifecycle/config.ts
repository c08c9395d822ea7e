import { z } from 'zod';
import { parseEnv } from '../../shared/config/parse-env.ts';
import { AUTH_ENV_SHAPE, hasJwksSource, JWKS_SOURCE_MESSAGE } from '../../shared/config/platform-env.ts';

export const LifecycleConfigSchema = z
  .object({
    ...AUTH_ENV_SHAPE,
    PLUGINS_TABLE: z.string().min(3),
  })
  .refine(hasJwksSource, JWKS_SOURCE_MESSAGE);
export type LifecycleConfig = z.infer<typeof LifecycleConfigSchema>;

export const loadLifecycleConfig = (env: Record<string, string | undefined> = process.env): LifecycleConfig =>
  parseEnv(LifecycleConfigSchema, env);
