import type { PluginId, TenantId } from '../domain/identifiers.ts';
import type { Installation } from '../domain/installation.ts';
import type { TenantPolicy } from '../domain/tenant-policy.ts';
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

/** What a finished run leaves behind in the store: its usage, and the slot it held. */
export interface RunSettlement {
  readonly usage: InvocationRecord;
  readonly lease: RunLease;
}

/**
 * The execution path's reads and writes that belong together, each one round trip where the
 * store allows it: before a run, the installation, the tenant's policy and its run slots; after
 * it, the usage and the release of its lease in one transactional write. Failures reject.
 */
export interface RunLedger {
  readContext(tenantId: TenantId, pluginId: PluginId): Promise<RunContext>;
  settle(settlement: RunSettlement): Promise<void>;
}
