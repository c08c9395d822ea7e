import { loadAuditConfig } from './config.ts';
import { createAuditHandler } from './wiring.ts';

/** The only reader of the Lambda environment: parsed once, at cold start. */
export const handler = createAuditHandler(loadAuditConfig(process.env));
