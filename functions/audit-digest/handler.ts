import { loadAuditDigestConfig } from './config.ts';
import { createAuditDigestHandler } from './wiring.ts';

/** The only reader of the Lambda environment: parsed once, at cold start. */
export const handler = createAuditDigestHandler(loadAuditDigestConfig(process.env));
