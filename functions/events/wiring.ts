import { createDocumentClient } from '../../shared/adapters/aws/dynamodb-document-client.ts';
import { DynamoDbIdempotencyStore } from '../../shared/adapters/aws/dynamodb-idempotency-store.ts';
import { DynamoDbTenantEventFeed } from '../../shared/adapters/aws/dynamodb-tenant-event-feed.ts';
import { DnsEhrEndpointGuard } from '../../shared/adapters/egress/ehr-endpoint-guard.ts';
import { createTokenVerifier, type TokenVerifier } from '../../shared/auth/token-verifier.ts';
import { authOptionsFrom } from '../../shared/config/platform-env.ts';
import { createHttpHandler } from '../../shared/http/http-handler.ts';
import { createLogger, type Logger } from '../../shared/observability/logger.ts';
import type { EhrEndpointGuard } from '../../shared/ports/ehr-endpoint-guard.ts';
import type { AuditTrail } from '../../shared/services/audit/audit-trail.ts';
import { newWebhookSecret, webhookIdGenerator } from '../../shared/services/events/webhook-identity.ts';
import { WebhookService } from '../../shared/services/events/webhook-service.ts';
import { createAuditTrail } from '../../shared/wiring/audit-trail.ts';
import { dynamoDbClientSettings } from '../../shared/wiring/aws-client-settings.ts';
import { createCursorCodec } from '../../shared/wiring/cursor-codec.ts';
import { createWebhookStores } from '../../shared/wiring/webhook-adapters.ts';
import type { EventsConfig } from './config.ts';
import { type EventsRouteDependencies, eventsRoutes } from './routes.ts';

export interface EventsDependencies extends EventsRouteDependencies {
  readonly verifier: TokenVerifier;
  /** Where each request's `api:request` record goes. */
  readonly requestAudit: AuditTrail;
}

/** What tests may replace: the save-time URL check (a hostile resolver). */
export interface EventsOverrides {
  readonly endpointGuard?: EhrEndpointGuard;
}

/** Builds the adapters once per cold start; routes receive only ports and factories. */
export function wireEvents(config: EventsConfig, overrides: EventsOverrides = {}): EventsDependencies {
  const documentClient = createDocumentClient(dynamoDbClientSettings(config));
  const auditTrail = createAuditTrail(documentClient, config.AUDIT_TABLE);
  const { webhooks, sealer } = createWebhookStores(config, documentClient);
  // The same save-time check as an EHR endpoint's; locally, the receiver origins it was told of.
  const endpointGuard =
    overrides.endpointGuard ??
    new DnsEhrEndpointGuard({ loopbackOrigins: config.WEBHOOK_LOOPBACK_ORIGINS ?? [] });
  const webhookIds = webhookIdGenerator(auditTrail.clock);
  return {
    verifier: createTokenVerifier(authOptionsFrom(config)),
    requestAudit: auditTrail,
    feed: new DynamoDbTenantEventFeed(documentClient, config.AUDIT_TABLE),
    clock: auditTrail.clock,
    cursors: createCursorCodec(config),
    idempotency: new DynamoDbIdempotencyStore(documentClient, config.PLUGINS_TABLE),
    webhookServiceFor: (caller, requestId) =>
      new WebhookService({
        tenantId: caller.tenantId,
        actorId: caller.userId,
        requestId,
        webhooks,
        sealer,
        endpointGuard,
        webhookIds,
        newSecret: newWebhookSecret,
        auditTrail,
      }),
  };
}

/** The events function's handler from its config: what handler.ts exports and the local platform serves. */
export const createEventsHandler = (config: EventsConfig, overrides?: EventsOverrides) =>
  eventsHandlerFor(wireEvents(config, overrides), createLogger('tenant-events', config.POWERTOOLS_LOG_LEVEL));

export function eventsHandlerFor(
  dependencies: EventsDependencies,
  logger: Logger = createLogger('tenant-events'),
) {
  return createHttpHandler({
    functionName: 'events',
    logger,
    verifier: async () => dependencies.verifier,
    routes: eventsRoutes(dependencies),
    idempotency: { store: dependencies.idempotency, now: () => dependencies.clock.now() },
    requestAudit: dependencies.requestAudit,
  });
}
