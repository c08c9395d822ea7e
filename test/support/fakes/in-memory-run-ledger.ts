import type { PluginId, TenantId } from '../../../shared/domain/identifiers.ts';
import type { InstallationRepository } from '../../../shared/ports/installation-repository.ts';
import type { RunLeaseStore } from '../../../shared/ports/run-lease-store.ts';
import type { RunContext, RunLedger, RunSettlement } from '../../../shared/ports/run-ledger.ts';
import type { TenantPolicyRepository } from '../../../shared/ports/tenant-policy-repository.ts';
import type { UsageRepository } from '../../../shared/ports/usage-repository.ts';
import type { UsageCounters } from '../../../shared/sandbox/usage-counters.ts';
import type { InMemoryOutbox } from './in-memory-outbox.ts';

/**
 * The run ledger over the other in-memory fakes, counting its round trips: what a test asserts
 * when it says "one read before, one write after". The slots are the lease store's own (it reads
 * them itself), so `slots` is empty here. A settlement commits its outbox entries with it, as the
 * transaction would; `failSettles` makes the next settlements reject, to test failing closed.
 */
export class InMemoryRunLedger implements RunLedger {
  readonly reads: { tenantId: string; pluginId: string }[] = [];
  readonly settlements: RunSettlement[] = [];
  /** Set to make every call fail, as an unreachable store would. */
  failure: Error | undefined;
  failSettles = 0;
  private readonly ports: {
    installations: InstallationRepository;
    policies: TenantPolicyRepository;
    runLeases: RunLeaseStore;
    usage: UsageRepository;
    counters: UsageCounters;
    outbox: InMemoryOutbox;
  };

  constructor(ports: InMemoryRunLedger['ports']) {
    this.ports = ports;
  }

  async readContext(tenantId: TenantId, pluginId: PluginId): Promise<RunContext> {
    if (this.failure) throw this.failure;
    this.reads.push({ tenantId, pluginId });
    const [installation, stored] = await Promise.all([
      this.ports.installations.get(tenantId, pluginId),
      this.ports.policies.get(tenantId),
    ]);
    return { installation, policy: stored.policy, slots: [] };
  }

  async settle(settlement: RunSettlement): Promise<void> {
    if (this.failure) throw this.failure;
    if (this.failSettles > 0) {
      this.failSettles -= 1;
      throw Object.assign(new Error('the settlement could not be written'), { name: 'ServiceUnavailable' });
    }
    this.settlements.push(settlement);
    this.ports.outbox.commit(settlement.outbox);
    await this.ports.usage.record(settlement.usage);
    await this.ports.runLeases.release(settlement.lease);
    for (const { key, amount, windowMs, at } of settlement.refunds) {
      await this.ports.counters.release(key, amount, windowMs, at);
    }
  }
}
