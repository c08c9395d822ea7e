import type { z } from 'zod';

/**
 * Parses a function's environment once at cold start. A bad deployment fails loudly naming every
 * missing or malformed key, instead of failing later on the first request that needs it.
 */
export function parseEnv<T extends z.ZodType>(
  schema: T,
  env: Record<string, string | undefined>,
): Readonly<z.infer<T>> {
  const result = schema.safeParse(env);
  if (!result.success) {
    const problems = result.error.issues.map((issue) => `${issue.path.join('.')}: ${issue.message}`);
    throw new Error(`Invalid configuration:\n  ${problems.join('\n  ')}`);
  }
  return Object.freeze(result.data);
}
