import { loadEventsConfig } from './config.ts';
import { createEventsHandler } from './wiring.ts';

/** The only reader of the Lambda environment: parsed once, at cold start. */
export const handler = createEventsHandler(loadEventsConfig(process.env));
