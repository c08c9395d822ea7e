import { DynamoDbAuditQuery } from '../../shared/adapters/aws/dynamodb-audit-query.ts';
import { createDocumentClient } from '../../shared/adapters/aws/dynamodb-document-client.ts';
import { createTokenVerifier, type TokenVerifier } from '../../shared/auth/token-verifier.ts';
import { authOptionsFrom } from '../../shared/config/platform-env.ts';
import { createHttpHandler } from '../../shared/http/http-handler.ts';
import { createLogger, type Logger } from '../../shared/observability/logger.ts';
import { systemClock } from '../../shared/ports/clock.ts';
import { dynamoDbClientSettings } from '../../shared/wiring/aws-client-settings.ts';
import { createCursorCodec } from '../../shared/wiring/cursor-codec.ts';
import type { AuditConfig } from './config.ts';
import { type AuditRouteDependencies, auditRoutes } from './routes.ts';

export interface AuditDependencies extends AuditRouteDependencies {
  readonly verifier: TokenVerifier;
}

/** Builds the adapters once per cold start: one DynamoDB client over the audit table, read only. */
export function wireAudit(config: AuditConfig): AuditDependencies {
  const documentClient = createDocumentClient(dynamoDbClientSettings(config));
  return {
    verifier: createTokenVerifier(authOptionsFrom(config)),
    store: new DynamoDbAuditQuery(documentClient, config.AUDIT_TABLE),
    clock: systemClock,
    cursors: createCursorCodec(config),
  };
}

/** The audit function's handler from its config: what handler.ts exports and the local platform serves. */
export const createAuditHandler = (config: AuditConfig) =>
  auditHandlerFor(wireAudit(config), createLogger('audit-query', config.POWERTOOLS_LOG_LEVEL));

export function auditHandlerFor(
  dependencies: AuditDependencies,
  logger: Logger = createLogger('audit-query'),
) {
  return createHttpHandler({
    functionName: 'audit',
    logger,
    verifier: async () => dependencies.verifier,
    routes: auditRoutes(dependencies),
  });
}
