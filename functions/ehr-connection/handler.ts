import { loadEhrConnectionConfig } from './config.ts';
import { createEhrConnectionHandler } from './wiring.ts';

/** The only reader of the Lambda environment: parsed once, at cold start. */
export const handler = createEhrConnectionHandler(loadEhrConnectionConfig(process.env));
