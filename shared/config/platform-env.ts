import { z } from 'zod';

/** Keys every authenticated HTTP function reads; each function's config.ts spreads them into its own. */
export const AUTH_ENV_SHAPE = {
  JWT_ISSUER: z.string().min(1),
  JWT_AUDIENCE: z.string().min(1),
  JWT_JWKS_URL: z.url().optional(),
  /** The local issuer's public JWKS as JSON (local platform only). */
  JWT_JWKS: z.string().optional(),
};

const AuthEnvSchema = z.object(AUTH_ENV_SHAPE);
type AuthEnv = z.infer<typeof AuthEnvSchema>;

export const hasJwksSource = (env: AuthEnv): boolean =>
  env.JWT_JWKS_URL !== undefined || env.JWT_JWKS !== undefined;
export const JWKS_SOURCE_MESSAGE = {
  message: 'set JWT_JWKS_URL (deployed) or JWT_JWKS (local platform)',
  path: ['JWT_JWKS_URL'],
};

export function authOptionsFrom(env: AuthEnv) {
  return {
    issuer: env.JWT_ISSUER,
    audience: env.JWT_AUDIENCE,
    jwksUrl: env.JWT_JWKS_URL,
    jwks: env.JWT_JWKS === undefined ? undefined : JSON.parse(env.JWT_JWKS),
  };
}
