import { loadPlatformConfig } from './config.ts';
import { createPlatformHandler } from './wiring.ts';

/** The only reader of the Lambda environment: parsed once, at cold start. */
export const handler = createPlatformHandler(loadPlatformConfig(process.env));
