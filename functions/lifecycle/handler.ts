import { loadLifecycleConfig } from './config.ts';
import { createLifecycleHandler } from './wiring.ts';

/** The only reader of the Lambda environment: parsed once, at cold start. */
export const handler = createLifecycleHandler(loadLifecycleConfig(process.env));
