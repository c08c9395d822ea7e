import { z } from 'zod';

/** The CloudWatch namespace of the platform's metrics (the dashboard charts the same one). */
export const METRICS_NAMESPACE = 'GradiantPlugins';

/**
 * Powertools Metrics reads these from the environment by itself; they are in the config too so
 * that the wiring can pass them (and a local platform can switch metrics off) without reading
 * process.env.
 */
export const METRICS_ENV_SHAPE = {
  POWERTOOLS_METRICS_NAMESPACE: z.string().min(1).default(METRICS_NAMESPACE),
  POWERTOOLS_SERVICE_NAME: z.string().min(1).optional(),
  POWERTOOLS_METRICS_DISABLED: z.stringbool().optional(),
};
