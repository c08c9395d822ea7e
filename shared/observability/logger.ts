import { Logger } from '@aws-lambda-powertools/logger';
import type { LogLevel } from '../config/logging-env.ts';

/**
 * One structured logger per function. Only ids are ever appended (request, tenant, plugin):
 * events, bodies, headers, tokens and plugin output never reach it. Without `logLevel` Powertools
 * reads POWERTOOLS_LOG_LEVEL from the environment, as deployed.
 */
export function createLogger(serviceName: string, logLevel?: LogLevel): Logger {
  return new Logger({
    serviceName,
    logRecordOrder: ['level', 'message', 'timestamp'],
    ...(logLevel === undefined ? {} : { logLevel }),
  });
}

export type { Logger };
