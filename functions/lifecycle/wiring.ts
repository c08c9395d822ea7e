import { DynamoDbIdempotencyStore } from '../../shared/adapters/aws/dynamodb-idempotency-store.ts';
import { createTokenVerifier, type TokenVerifier } from '../../shared/auth/token-verifier.ts';
import { authOptionsFrom } from '../../shared/config/platform-env.ts';
import { createHttpHandler } from '../../shared/http/http-handler.ts';
import { createLogger } from '../../shared/observability/logger.ts';
import { TenantPolicyService } from '../../shared/services/lifecycle/tenant-policy-service.ts';
import { createCursorCodec } from '../../shared/wiring/cursor-codec.ts';
import {
  createExecutionInvoker,
  localExecutionTargets,
  registerLocalBus,
} from '../../shared/wiring/execution-invoker.ts';
import { createPlatformAdapters } from '../../shared/wiring/platform-adapters.ts';
import { createPlatformStores } from '../../shared/wiring/platform-stores.ts';
import { createPluginServiceFactory } from '../../shared/wiring/plugin-service-factory.ts';
import type { LifecycleConfig } from './config.ts';
import { type LifecycleRouteDependencies, lifecycleRoutes } from './routes.ts';

export interface LifecycleDependencies extends LifecycleRouteDependencies {
  readonly verifier: TokenVerifier;
}

/** Builds the adapters once per cold start; routes receive only ports and factories. */
export function wireLifecycle(config: LifecycleConfig): LifecycleDependencies {
  const adapters = createPlatformAdapters(config, {
    localBusTargets: config.PLATFORM_MODE === 'local' ? localExecutionTargets(config) : [],
  });
  if (config.PLATFORM_MODE === 'local') registerLocalBus(adapters.events);
  const stores = createPlatformStores(adapters, config);
  const pluginServices = createPluginServiceFactory(adapters, { ...stores, storageCleaner: stores.storage });
  return {
    verifier: createTokenVerifier(authOptionsFrom(config)),
    pluginServiceFor: (caller, requestId) =>
      pluginServices({ tenantId: caller.tenantId, actorId: caller.userId, requestId }),
    tenantPolicyServiceFor: (caller, requestId) =>
      new TenantPolicyService({
        tenantId: caller.tenantId,
        actorId: caller.userId,
        requestId,
        policies: adapters.policies,
        auditService: adapters.auditService,
        auditOutbox: adapters.auditOutbox,
        clock: adapters.clock,
      }),
    idempotency: new DynamoDbIdempotencyStore(adapters.documentClient, config.PLUGINS_TABLE),
    cursors: createCursorCodec(config),
    invoker: createExecutionInvoker(config),
    now: () => adapters.clock.now(),
  };
}

export function createLifecycleHandler(dependencies: LifecycleDependencies) {
  return createHttpHandler({
    functionName: 'lifecycle',
    logger: createLogger('plugin-lifecycle'),
    verifier: async () => dependencies.verifier,
    routes: lifecycleRoutes(dependencies),
    idempotency: { store: dependencies.idempotency, now: dependencies.now },
  });
}
