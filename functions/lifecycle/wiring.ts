import { DynamoDbIdempotencyStore } from '../../shared/adapters/aws/dynamodb-idempotency-store.ts';
import { createTokenVerifier, type TokenVerifier } from '../../shared/auth/token-verifier.ts';
import { authOptionsFrom } from '../../shared/config/platform-env.ts';
import { createHttpHandler } from '../../shared/http/http-handler.ts';
import { createLogger, type Logger } from '../../shared/observability/logger.ts';
import type { EventPublisher } from '../../shared/ports/event-publisher.ts';
import type { ExecutionInvoker } from '../../shared/ports/execution-invoker.ts';
import type { AuditTrail } from '../../shared/services/audit/audit-trail.ts';
import { TenantPolicyService } from '../../shared/services/lifecycle/tenant-policy-service.ts';
import { createAdvisoryDatabase } from '../../shared/wiring/advisory-database.ts';
import { createCursorCodec } from '../../shared/wiring/cursor-codec.ts';
import { createExecutionInvoker } from '../../shared/wiring/execution-invoker.ts';
import { createPlatformAdapters } from '../../shared/wiring/platform-adapters.ts';
import { createPlatformStores } from '../../shared/wiring/platform-stores.ts';
import { createPluginServiceFactory } from '../../shared/wiring/plugin-service-factory.ts';
import type { LifecycleConfig } from './config.ts';
import { type LifecycleRouteDependencies, lifecycleRoutes } from './routes.ts';

export interface LifecycleDependencies extends LifecycleRouteDependencies {
  readonly verifier: TokenVerifier;
  /** Where each request's `api:request` record goes. */
  readonly requestAudit: AuditTrail;
}

/**
 * What the local platform injects: its instance's execution worker pool and its bus (which
 * delivers subscribed events to the same pool). Deployed, neither: the Lambda and EventBridge.
 */
export interface LifecycleOverrides {
  readonly invoker?: ExecutionInvoker;
  readonly events?: EventPublisher;
}

/** Builds the adapters once per cold start; routes receive only ports and factories. */
export function wireLifecycle(
  config: LifecycleConfig,
  overrides: LifecycleOverrides = {},
): LifecycleDependencies {
  const adapters = createPlatformAdapters(config, { events: overrides.events });
  const stores = createPlatformStores(adapters, config);
  // Direct installs are scanned against the refreshed advisory database, as publishes are.
  const advisories = createAdvisoryDatabase(
    adapters,
    config.ARTIFACT_BUCKET,
    createLogger('plugin-lifecycle', config.POWERTOOLS_LOG_LEVEL),
  ).database;
  const pluginServices = createPluginServiceFactory(adapters, {
    ...stores,
    advisories,
    storageCleaner: stores.storage,
  });
  return {
    verifier: createTokenVerifier(authOptionsFrom(config)),
    requestAudit: adapters.auditTrail,
    pluginServiceFor: (caller, requestId) =>
      pluginServices({ tenantId: caller.tenantId, actorId: caller.userId, requestId }),
    tenantPolicyServiceFor: (caller, requestId) =>
      new TenantPolicyService({
        tenantId: caller.tenantId,
        actorId: caller.userId,
        requestId,
        policies: adapters.policies,
        auditTrail: adapters.auditTrail,
      }),
    idempotency: new DynamoDbIdempotencyStore(adapters.documentClient, config.PLUGINS_TABLE),
    cursors: createCursorCodec(config),
    invoker: createExecutionInvoker(config, overrides.invoker),
    auditTrail: adapters.auditTrail,
    now: () => adapters.clock.now(),
  };
}

/** The lifecycle function's handler from its config: what handler.ts exports and the local platform serves. */
export const createLifecycleHandler = (config: LifecycleConfig, overrides?: LifecycleOverrides) =>
  lifecycleHandlerFor(
    wireLifecycle(config, overrides),
    createLogger('plugin-lifecycle', config.POWERTOOLS_LOG_LEVEL),
  );

export function lifecycleHandlerFor(
  dependencies: LifecycleDependencies,
  logger: Logger = createLogger('plugin-lifecycle'),
) {
  return createHttpHandler({
    functionName: 'lifecycle',
    logger,
    verifier: async () => dependencies.verifier,
    routes: lifecycleRoutes(dependencies),
    idempotency: { store: dependencies.idempotency, now: dependencies.now },
    requestAudit: dependencies.requestAudit,
  });
}
