import { Logger } from '@aws-lambda-powertools/logger';

/**
 * One structured logger per function. Only ids are ever appended (request, tenant, plugin):
 * events, bodies, headers, tokens and plugin output never reach it.
 */
export function createLogger(serviceName: string): Logger {
  return new Logger({ serviceName, logRecordOrder: ['level', 'message', 'timestamp'] });
}

export type { Logger };
