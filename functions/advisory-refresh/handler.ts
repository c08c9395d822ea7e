import { loadAdvisoryRefreshConfig } from './config.ts';
import { createAdvisoryRefreshHandler } from './wiring.ts';

/** The only reader of the Lambda environment: parsed once, at cold start. */
export const handler = createAdvisoryRefreshHandler(loadAdvisoryRefreshConfig(process.env));
