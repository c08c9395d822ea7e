import { loadEhrNotificationsConfig } from './config.ts';
import { createEhrNotificationsHandler } from './wiring.ts';

/** The only reader of the Lambda environment: parsed once, at cold start. */
const config = loadEhrNotificationsConfig(process.env);
export const handler = createEhrNotificationsHandler(config);
