import type { Installation } from '../../domain/installation.ts';
import type { TenantPolicy } from '../../domain/tenant-policy.ts';
import type { Clock } from '../../ports/clock.ts';
import type { EhrChangeLedger } from '../../ports/ehr-change-ledger.ts';
import type { EhrRepository } from '../../ports/ehr-repository.ts';
import type { FailureRecorder } from '../../ports/failure-recorder.ts';
import type { IdGenerator } from '../../ports/id-generator.ts';
import type { InstallationRepository } from '../../ports/installation-repository.ts';
import type { RunLeaseStore } from '../../ports/run-lease-store.ts';
import type { RunLedger } from '../../ports/run-ledger.ts';
import type { RunMetrics } from '../../ports/run-metrics.ts';
import type { PluginHost, PluginStorage } from '../../sandbox/host.ts';
import type { RunRequest } from '../../sandbox/plugin-sandbox.ts';
import type { RunResult } from '../../sandbox/schemas.ts';
import type { UsageCounters } from '../../sandbox/usage-counters.ts';
import type { AuditTrail } from '../audit/audit-trail.ts';
import type { SandboxObserver } from './sandbox-observer.ts';

/** The sandbox as the execution path uses it (PluginSandbox in production). */
export interface PluginRunner {
  run(request: RunRequest): Promise<RunResult>;
}

/** Proven plugin code for an installation, under the tenant's policy as it is now. */
export interface ArtifactLoader {
  load(installation: Installation, policy: TenantPolicy): Promise<string>;
}

export interface RevocationCheck {
  isRevoked(pluginId: string, version: string): Promise<boolean>;
}

export interface PluginStorageProvider {
  forPlugin(tenantId: string, pluginId: string, quotaBytes: number): PluginStorage;
}

/** Ids and codes only: never inputs, outputs, records or plugin logs. */
export interface ExecutionLogger {
  warn(message: string, attributes: Record<string, unknown>): void;
}

export interface ExecutionDependencies {
  /** Lists a tenant's installations, for event subscribers; a run reads its own through `ledger`. */
  readonly installations: InstallationRepository;
  /** The run's context before it (one read) and its usage and lease release after it (one write). */
  readonly ledger: RunLedger;
  readonly revocations: RevocationCheck;
  readonly artifacts: ArtifactLoader;
  readonly sandbox: PluginRunner;
  /** The store-backed counters the sandbox charges: a run's first CPU chunk is reserved here. */
  readonly counters: UsageCounters;
  /** The tenant's concurrent-run slots; required, since a run without a lease is never started. */
  readonly runLeases: RunLeaseStore;
  /** Collects what the sandbox reports about a run, for the run's outbox entries. */
  readonly observer: SandboxObserver;
  readonly ehr: EhrRepository;
  /** The EHR versions already turned into data events, shared with the EHR's own notifications. */
  readonly ehrChanges?: EhrChangeLedger | undefined;
  /**
   * Where the records of runs that join no settlement go (refusals, runs that did not finish) and
   * the data events of the plugin's EHR writes (`patient:updated`, `appointment:*`, ids only); a
   * ran run's record commits with its settlement through `ledger`.
   */
  readonly trail: AuditTrail;
  readonly failures: FailureRecorder;
  readonly clock: Clock;
  readonly ids: IdGenerator;
  readonly storage?: PluginStorageProvider | undefined;
  /** Outbound HTTP for plugins with network grants; absent, every network call is refused. */
  readonly egress?: PluginHost['fetch'] | undefined;
  readonly logger?: ExecutionLogger | undefined;
  /** Each run's figures as metrics per tenant and plugin; absent, none are published. */
  readonly metrics?: RunMetrics | undefined;
}
