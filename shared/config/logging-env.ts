import { z } from 'zod';

const LOG_LEVELS = ['TRACE', 'DEBUG', 'INFO', 'WARN', 'ERROR', 'CRITICAL', 'SILENT'] as const;
export type LogLevel = (typeof LOG_LEVELS)[number];

/**
 * Powertools reads POWERTOOLS_LOG_LEVEL from the environment by itself; it is in the config too so
 * that the local platform can set its level per instance without writing the process environment.
 * Unset, the logger keeps reading the environment (as deployed, and as the test runner sets it).
 */
export const LOGGING_ENV_SHAPE = {
  POWERTOOLS_LOG_LEVEL: z.preprocess(
    (value) => (typeof value === 'string' ? value.toUpperCase() : value),
    z.enum(LOG_LEVELS).optional(),
  ),
};
