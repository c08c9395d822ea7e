import { DynamoDbEhrChangeLedger } from '../../shared/adapters/aws/dynamodb-ehr-change-ledger.ts';
import { DynamoDbEventDeliveryMarkers } from '../../shared/adapters/aws/dynamodb-event-delivery-markers.ts';
import { DynamoDbRunLeaseStore } from '../../shared/adapters/aws/dynamodb-run-lease-store.ts';
import { DynamoDbRunLedger } from '../../shared/adapters/aws/dynamodb-run-ledger.ts';
import { DynamoDbUsageCounters } from '../../shared/adapters/aws/dynamodb-usage-counters.ts';
import { PowertoolsRunMetrics } from '../../shared/adapters/aws/powertools-run-metrics.ts';
import { createGuardedFetch } from '../../shared/adapters/egress/guarded-fetch.ts';
import { createLogger, type Logger } from '../../shared/observability/logger.ts';
import type { EventDeliveryMarkers } from '../../shared/ports/event-delivery-markers.ts';
import { type PlatformSandboxOptions, PluginSandbox } from '../../shared/sandbox/plugin-sandbox.ts';
import type { ExecutionDependencies } from '../../shared/services/execution/execution-dependencies.ts';
import { RevocationCache } from '../../shared/services/execution/revocation-cache.ts';
import { SandboxObserver } from '../../shared/services/execution/sandbox-observer.ts';
import { VerifiedArtifactLoader } from '../../shared/services/execution/verified-artifact-loader.ts';
import { CircuitBreaker } from '../../shared/services/lifecycle/circuit-breaker.ts';
import { createFhirEhr } from '../../shared/wiring/fhir-ehr.ts';
import { createPlatformAdapters } from '../../shared/wiring/platform-adapters.ts';
import { createPlatformStores } from '../../shared/wiring/platform-stores.ts';
import { createPluginServiceFactory } from '../../shared/wiring/plugin-service-factory.ts';
import type { ExecutionConfig } from './config.ts';
import { createExecutionHandler } from './dispatch.ts';

const SERVICE_NAME = 'plugin-execution';

export type ExecutionHandlerDependencies = ExecutionDependencies & {
  readonly markers: EventDeliveryMarkers;
  readonly logger: Logger;
};

/**
 * Builds everything once per cold start (one Lambda instance runs one invocation at a time, so
 * one isolate per tenant and plugin is enough). Everything a run causes goes to the outbox, so the
 * local execution worker wires exactly this.
 */
export function wireExecution(config: ExecutionConfig): ExecutionHandlerDependencies {
  const platform = createPlatformAdapters(config);
  const { clock, ids, documentClient: client } = platform;
  const logger = createLogger(SERVICE_NAME, config.POWERTOOLS_LOG_LEVEL);
  const tables = { client, tableName: config.PLUGINS_TABLE };
  const counters = new DynamoDbUsageCounters({ ...tables, clock });
  const stores = createPlatformStores(platform, config);
  const { catalogue, usage, storage } = stores;
  const pluginServices = createPluginServiceFactory(platform, { ...stores, storageCleaner: storage });
  const observer = new SandboxObserver();
  const runLeases = new DynamoDbRunLeaseStore({ ...tables, clock });
  const trail = platform.auditTrail;
  return {
    installations: platform.installations,
    ledger: new DynamoDbRunLedger({
      ...tables,
      auditTableName: config.AUDIT_TABLE,
      outbox: trail.outbox,
      usage,
      leases: runLeases,
      counters,
      clock,
    }),
    counters,
    revocations: new RevocationCache({ releases: catalogue, clock }),
    artifacts: new VerifiedArtifactLoader({ artifacts: platform.artifacts, provenance: stores.provenance }),
    sandbox: new PluginSandbox({
      counters,
      onSecurityEvent: observer.onSecurityEvent,
      onResourceExceeded: observer.onResourceExceeded,
      // The tenant's next run of that plugin is refused until the counter store answers again.
      onInternalError: ({ operation, errorName, tenantId, pluginId }) =>
        logger.error('a usage counter update failed; the plugin is held', {
          operation,
          errorName,
          tenantId,
          pluginId,
        }),
      maxIsolatesPerKey: 1,
    } satisfies PlatformSandboxOptions),
    runLeases,
    observer,
    // Each tenant's own FHIR server, through its own connection and token only.
    ehr: createFhirEhr(config, client, clock).repository,
    ehrChanges: new DynamoDbEhrChangeLedger(client, config.PLUGINS_TABLE, config.AUDIT_TABLE),
    trail,
    failures: new CircuitBreaker({
      counters,
      policies: platform.policies,
      pluginServiceFor: (tenantId, actorId) => pluginServices({ tenantId, actorId }),
    }),
    storage,
    egress: createGuardedFetch({
      maxResponseBytes: 1024 * 1024,
      timeoutMs: 4_000,
      // Locally plugins may reach the developer's own services; deployed, never a private address.
      allowPrivateNetwork: config.PLATFORM_MODE === 'local',
    }),
    metrics: new PowertoolsRunMetrics({
      namespace: config.POWERTOOLS_METRICS_NAMESPACE,
      serviceName: config.POWERTOOLS_SERVICE_NAME ?? SERVICE_NAME,
      // A silenced log (the test runner) silences the EMF lines too.
      isEnabled: config.POWERTOOLS_METRICS_DISABLED !== true && config.POWERTOOLS_LOG_LEVEL !== 'SILENT',
    }),
    clock,
    ids,
    markers: new DynamoDbEventDeliveryMarkers({ ...tables, clock }),
    logger,
  };
}

/**
 * The execution function's handler from its config: what handler.ts exports and the local
 * execution worker serves. (`createExecutionHandler` in dispatch.ts takes the wired dependencies.)
 */
export const createExecutionFunctionHandler = (config: ExecutionConfig) =>
  createExecutionHandler(wireExecution(config));
