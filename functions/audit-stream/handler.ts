import { loadAuditStreamConfig } from './config.ts';
import { createAuditStreamHandler } from './wiring.ts';

/** The only reader of the Lambda environment: parsed once, at cold start. */
export const handler = createAuditStreamHandler(loadAuditStreamConfig(process.env));
