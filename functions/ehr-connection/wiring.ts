import { createDocumentClient } from '../../shared/adapters/aws/dynamodb-document-client.ts';
import { DnsEhrEndpointGuard } from '../../shared/adapters/egress/ehr-endpoint-guard.ts';
import { createTokenVerifier, type TokenVerifier } from '../../shared/auth/token-verifier.ts';
import { authOptionsFrom } from '../../shared/config/platform-env.ts';
import { createHttpHandler } from '../../shared/http/http-handler.ts';
import { createLogger, type Logger } from '../../shared/observability/logger.ts';
import type { EhrConnectionProbe } from '../../shared/ports/ehr-connection-probe.ts';
import type { EhrEndpointGuard } from '../../shared/ports/ehr-endpoint-guard.ts';
import type { EhrSubscriptions } from '../../shared/ports/ehr-subscriptions.ts';
import type { AuditTrail } from '../../shared/services/audit/audit-trail.ts';
import { EhrConnectionService } from '../../shared/services/ehr/ehr-connection-service.ts';
import { createAuditTrail } from '../../shared/wiring/audit-trail.ts';
import { dynamoDbClientSettings } from '../../shared/wiring/aws-client-settings.ts';
import { createFhirEhr } from '../../shared/wiring/fhir-ehr.ts';
import type { EhrConnectionConfig } from './config.ts';
import { type EhrConnectionRouteDependencies, ehrConnectionRoutes } from './routes.ts';

export interface EhrConnectionDependencies extends EhrConnectionRouteDependencies {
  readonly verifier: TokenVerifier;
  /** Where each request's `api:request` record goes. */
  readonly requestAudit: AuditTrail;
}

/** What tests may replace: the EHR probe and subscriptions, the endpoint guard. */
export interface EhrConnectionOverrides {
  readonly probe?: EhrConnectionProbe;
  readonly subscriptions?: EhrSubscriptions;
  readonly endpointGuard?: EhrEndpointGuard;
}

/** Builds the adapters once per cold start; routes receive only ports and factories. */
export function wireEhrConnection(
  config: EhrConnectionConfig,
  overrides: EhrConnectionOverrides = {},
): EhrConnectionDependencies {
  const documentClient = createDocumentClient(dynamoDbClientSettings(config));
  const auditTrail = createAuditTrail(documentClient, config.AUDIT_TABLE);
  // The function that changes connections reads them fresh: a test right after a PUT must reach
  // the server just saved, not the one this instance saw before.
  const ehr = createFhirEhr(config, documentClient, auditTrail.clock, { connectionCacheMs: 0 });
  const { connections, signingKeys } = ehr;
  const endpointGuard =
    overrides.endpointGuard ??
    new DnsEhrEndpointGuard({ loopbackOrigins: config.EHR_LOOPBACK_ORIGINS ?? [] });
  const probe = overrides.probe ?? ehr.probe;
  const subscriptions = overrides.subscriptions ?? ehr.repository;
  return {
    verifier: createTokenVerifier(authOptionsFrom(config)),
    requestAudit: auditTrail,
    signingKeys,
    ehrConnectionServiceFor: (caller, requestId) =>
      new EhrConnectionService({
        tenantId: caller.tenantId,
        actorId: caller.userId,
        requestId,
        connections,
        signingKeys,
        probe,
        subscriptions,
        endpointGuard,
        auditTrail,
        publicApiBaseUrl: config.PUBLIC_API_BASE_URL,
        probeTimeoutMs: config.EHR_PROBE_TIMEOUT_MS,
      }),
  };
}

/** The function's handler from its config: what handler.ts exports and the local platform serves. */
export const createEhrConnectionHandler = (config: EhrConnectionConfig, overrides?: EhrConnectionOverrides) =>
  ehrConnectionHandlerFor(
    wireEhrConnection(config, overrides),
    createLogger('ehr-connection', config.POWERTOOLS_LOG_LEVEL),
  );

export function ehrConnectionHandlerFor(
  dependencies: EhrConnectionDependencies,
  logger: Logger = createLogger('ehr-connection'),
) {
  return createHttpHandler({
    functionName: 'ehr-connection',
    logger,
    verifier: async () => dependencies.verifier,
    routes: ehrConnectionRoutes(dependencies),
    requestAudit: dependencies.requestAudit,
  });
}
