import { DynamoDbAuditQuery } from '../../shared/adapters/aws/dynamodb-audit-query.ts';
import { createDocumentClient } from '../../shared/adapters/aws/dynamodb-document-client.ts';
import { createTokenVerifier, type TokenVerifier } from '../../shared/auth/token-verifier.ts';
import { authOptionsFrom } from '../../shared/config/platform-env.ts';
import { createHttpHandler } from '../../shared/http/http-handler.ts';
import { createLogger, type Logger } from '../../shared/observability/logger.ts';
import { systemClock } from '../../shared/ports/clock.ts';
import type { AuditTrail } from '../../shared/services/audit/audit-trail.ts';
import { createAuditTrail } from '../../shared/wiring/audit-trail.ts';
import { dynamoDbClientSettings } from '../../shared/wiring/aws-client-settings.ts';
import { createCursorCodec } from '../../shared/wiring/cursor-codec.ts';
import type { AuditConfig } from './config.ts';
import { type AuditRouteDependencies, auditRoutes } from './routes.ts';

export interface AuditDependencies extends AuditRouteDependencies {
  readonly verifier: TokenVerifier;
  /** Where each request's `api:request` record goes: reading the audit trail is audited too. */
  readonly requestAudit: AuditTrail;
}

/**
 * Builds the adapters once per cold start: one DynamoDB client over the audit table, which it
 * queries and to which it only appends its own requests' records.
 */
export function wireAudit(config: AuditConfig): AuditDependencies {
  const documentClient = createDocumentClient(dynamoDbClientSettings(config));
  return {
    verifier: createTokenVerifier(authOptionsFrom(config)),
    requestAudit: createAuditTrail(documentClient, config.AUDIT_TABLE),
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
    requestAudit: dependencies.requestAudit,
  });
}
