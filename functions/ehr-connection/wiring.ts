import { SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import { createDocumentClient } from '../../shared/adapters/aws/dynamodb-document-client.ts';
import { DynamoDbEhrConnectionRepository } from '../../shared/adapters/aws/dynamodb-ehr-connection-repository.ts';
import { createSecretsManagerEhrSigningKeys } from '../../shared/adapters/aws/secrets-manager-ehr-signing-keys.ts';
import { DnsEhrEndpointGuard } from '../../shared/adapters/egress/ehr-endpoint-guard.ts';
import { createFileEhrSigningKeys } from '../../shared/adapters/local/file-ehr-signing-keys.ts';
import { createTokenVerifier, type TokenVerifier } from '../../shared/auth/token-verifier.ts';
import { authOptionsFrom } from '../../shared/config/platform-env.ts';
import { ehrUnavailable } from '../../shared/domain/errors/ehr-errors.ts';
import { createHttpHandler } from '../../shared/http/http-handler.ts';
import { createLogger, type Logger } from '../../shared/observability/logger.ts';
import type { EhrConnectionProbe } from '../../shared/ports/ehr-connection-probe.ts';
import type { EhrEndpointGuard } from '../../shared/ports/ehr-endpoint-guard.ts';
import type { EhrSigningKeys } from '../../shared/ports/ehr-signing-keys.ts';
import type { AuditTrail } from '../../shared/services/audit/audit-trail.ts';
import { EhrConnectionService } from '../../shared/services/ehr/ehr-connection-service.ts';
import { createAuditTrail } from '../../shared/wiring/audit-trail.ts';
import { dynamoDbClientSettings } from '../../shared/wiring/aws-client-settings.ts';
import type { EhrConnectionConfig } from './config.ts';
import { type EhrConnectionRouteDependencies, ehrConnectionRoutes } from './routes.ts';

export interface EhrConnectionDependencies extends EhrConnectionRouteDependencies {
  readonly verifier: TokenVerifier;
  /** Where each request's `api:request` record goes. */
  readonly requestAudit: AuditTrail;
}

/** What tests and the local platform may replace: the EHR probe, the endpoint guard. */
export interface EhrConnectionOverrides {
  readonly probe?: EhrConnectionProbe;
  readonly endpointGuard?: EhrEndpointGuard;
}

/**
 * Until the FHIR adapter's probe (shared/adapters/fhir) is wired here, discovery and the test
 * answer EHR_UNAVAILABLE rather than pretending: a connection with an explicit token endpoint
 * can still be saved.
 */
const UNWIRED_PROBE: EhrConnectionProbe = {
  discover: async () => {
    throw ehrUnavailable('no probe configured');
  },
  probe: async () => {
    throw ehrUnavailable('no probe configured');
  },
};

function signingKeysOf(config: EhrConnectionConfig): EhrSigningKeys {
  if (config.PLATFORM_MODE === 'local') {
    // The config refuses local mode without it; checked again for the compiler.
    if (!config.LOCAL_EHR_KEYS_DIRECTORY) throw new Error('LOCAL_EHR_KEYS_DIRECTORY is required locally');
    return createFileEhrSigningKeys(config.LOCAL_EHR_KEYS_DIRECTORY);
  }
  return createSecretsManagerEhrSigningKeys(new SecretsManagerClient({}), {
    prefix: config.EHR_SIGNING_SECRET_PREFIX,
    kmsKeyId: config.EHR_SIGNING_KMS_KEY_ID,
  });
}

/** Builds the adapters once per cold start; routes receive only ports and factories. */
export function wireEhrConnection(
  config: EhrConnectionConfig,
  overrides: EhrConnectionOverrides = {},
): EhrConnectionDependencies {
  const documentClient = createDocumentClient(dynamoDbClientSettings(config));
  const auditTrail = createAuditTrail(documentClient, config.AUDIT_TABLE);
  const connections = new DynamoDbEhrConnectionRepository(
    documentClient,
    config.PLUGINS_TABLE,
    config.AUDIT_TABLE,
  );
  const signingKeys = signingKeysOf(config);
  const endpointGuard =
    overrides.endpointGuard ??
    new DnsEhrEndpointGuard({ loopbackOrigins: config.EHR_LOOPBACK_ORIGINS ?? [] });
  const probe = overrides.probe ?? UNWIRED_PROBE;
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
