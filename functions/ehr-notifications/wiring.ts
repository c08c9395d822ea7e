import { createDocumentClient } from '../../shared/adapters/aws/dynamodb-document-client.ts';
import { DynamoDbEhrChangeLedger } from '../../shared/adapters/aws/dynamodb-ehr-change-ledger.ts';
import { DynamoDbUsageCounters } from '../../shared/adapters/aws/dynamodb-usage-counters.ts';
import { createHttpHandler } from '../../shared/http/http-handler.ts';
import { createLogger, type Logger } from '../../shared/observability/logger.ts';
import { createAuditTrail } from '../../shared/wiring/audit-trail.ts';
import { dynamoDbClientSettings } from '../../shared/wiring/aws-client-settings.ts';
import type { EhrNotificationsConfig } from './config.ts';
import { type EhrNotificationPorts, wireEhrNotificationPorts } from './ehr-ports.ts';
import { type EhrNotificationRouteDependencies, ehrNotificationRoutes } from './routes.ts';

/**
 * Builds the adapters once per cold start: the change ledger and the notification counter in the
 * plugins table, the outbox in the audit table, and the EHR ports given.
 */
export function wireEhrNotifications(
  config: EhrNotificationsConfig,
  overrides: { ports?: EhrNotificationPorts } = {},
): EhrNotificationRouteDependencies {
  const documentClient = createDocumentClient(dynamoDbClientSettings(config));
  const trail = createAuditTrail(documentClient, config.AUDIT_TABLE);
  const ports = overrides.ports ?? wireEhrNotificationPorts(config, documentClient, trail.clock);
  return {
    ...trail,
    ...ports,
    ledger: new DynamoDbEhrChangeLedger(documentClient, config.PLUGINS_TABLE, config.AUDIT_TABLE),
    counters: new DynamoDbUsageCounters({
      client: documentClient,
      tableName: config.PLUGINS_TABLE,
      clock: trail.clock,
    }),
    limits: {
      perMinute: config.EHR_NOTIFICATIONS_PER_MINUTE,
      readBudgetMs: config.EHR_NOTIFICATION_READ_BUDGET_MS,
    },
  };
}

/** The function's handler from its config: what handler.ts exports and the local platform serves. */
export const createEhrNotificationsHandler = (
  config: EhrNotificationsConfig,
  overrides?: { ports?: EhrNotificationPorts },
) =>
  ehrNotificationsHandlerFor(
    wireEhrNotifications(config, overrides),
    createLogger('ehr-notifications', config.POWERTOOLS_LOG_LEVEL),
  );

export function ehrNotificationsHandlerFor(
  dependencies: EhrNotificationRouteDependencies,
  logger: Logger = createLogger('ehr-notifications'),
) {
  return createHttpHandler({
    functionName: 'ehr-notifications',
    logger,
    verifier: () => Promise.reject(new Error('The ehr-notifications function serves no bearer-token route')),
    routes: ehrNotificationRoutes(dependencies),
    // Every notification, refused or not, leaves its api:request record (anonymous: no token).
    requestAudit: dependencies,
  });
}
