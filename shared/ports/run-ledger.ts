import type { PluginId, TenantId } from '../domain/identifiers.ts';
import type { Installation } from '../domain/installation.ts';
import type { TenantPolicy } from '../domain/tenant-policy.ts';
import type { OutboxEntries } from './outbox.ts';
import type { LeaseSlot, RunLease } from './run-lease-store.ts';
import type { InvocationRecord } from './usage-repository.ts';

/** Everything a run needs to be admitted, as read together. */
export interface RunContext {
  /** Absent when the plugin is not installed in this tenant. */
  readonly installation: Installation | undefined;
  /** The tenant's policy, or the default one when the tenant never wrote its own. */
  readonly policy: TenantPolicy;
  /** The tenant's run-slot items as read (live or not), for the lease store's acquire. */
  readonly slots: readonly LeaseSlot[];
}

/** Unused CPU a run gives back to its counter: `at` is when it was charged (the charge's bucket). */
export interface CounterRefund {
  readonly key: string;
  readonly amount: number;
  readonly windowMs: number;
  readonly at: number;
}

/**
 * What a finished run leaves behind in the store: its usage, the slot it held, its CPU refunds,
 * and its outbox entries (its audit record, the security records and limit breaches the sandbox
 * reported, `plugin:error`, the events it emitted), which commit with the usage.
 */
export interface RunSettlement {
  readonly usage: InvocationRecord;
  readonly lease: RunLease;
  readonly refunds: readonly CounterRefund[];
  readonly outbox: OutboxEntries;
}

/**
 * The execution path's reads and writes that belong together, each one round trip where the
 * store allows it: before a run, the installation, the tenant's policy and its run slots; after
 * it, the usage, the release of its lease, the refund of its unused CPU and the run's outbox
 * entries in one transactional write. It resolves only once every entry is written (entries that
 * do not fit the transaction are appended right after it); otherwise it rejects, and the caller
 * fails closed.
 */
export interface RunLedger {
  readContext(tenantId: TenantId, pluginId: PluginId): Promise<RunContext>;
  settle(settlement: RunSettlement): Promise<void>;
}
