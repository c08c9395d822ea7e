import { concurrentModification } from '../../../shared/domain/errors/lifecycle-errors.ts';
import type { TenantId } from '../../../shared/domain/identifiers.ts';
import {
  DEFAULT_TENANT_POLICY,
  type StoredTenantPolicy,
  type TenantPolicy,
} from '../../../shared/domain/tenant-policy.ts';
import type { OutboxEntries } from '../../../shared/ports/outbox.ts';
import type { TenantPolicyRepository } from '../../../shared/ports/tenant-policy-repository.ts';
import { InMemoryOutbox } from './in-memory-outbox.ts';

/** Policies in memory; a stored change commits its outbox entries to `outbox`, a refused one none. */
export class InMemoryTenantPolicyRepository implements TenantPolicyRepository {
  readonly policies = new Map<string, StoredTenantPolicy>();
  readonly outbox: InMemoryOutbox;

  constructor(outbox = new InMemoryOutbox()) {
    this.outbox = outbox;
  }

  async get(tenantId: TenantId): Promise<StoredTenantPolicy> {
    return structuredClone(this.policies.get(tenantId) ?? { policy: DEFAULT_TENANT_POLICY, version: 0 });
  }

  async put(
    tenantId: TenantId,
    policy: TenantPolicy,
    expectedVersion: number,
    actor: string,
    at: Date,
    outbox: OutboxEntries = [],
  ) {
    const current = await this.get(tenantId);
    if (current.version !== expectedVersion) throw concurrentModification('policy');
    const stored = { policy, version: expectedVersion + 1, updatedAt: at.toISOString(), updatedBy: actor };
    this.policies.set(tenantId, structuredClone(stored));
    this.outbox.commit(outbox);
    return stored;
  }
}
