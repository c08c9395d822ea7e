import type { TenantId } from '../domain/identifiers.ts';
import type { StoredTenantPolicy, TenantPolicy } from '../domain/tenant-policy.ts';
import type { OutboxEntries } from './outbox.ts';

export interface TenantPolicyRepository {
  /** The stored policy, or the defaults at version 0 for a tenant that never set one. */
  get(tenantId: TenantId): Promise<StoredTenantPolicy>;
  /**
   * Writes only if the stored version is still `expectedVersion`; else CONCURRENT_MODIFICATION.
   * The change's outbox entries are stored in the same transaction (none when refused).
   */
  put(
    tenantId: TenantId,
    policy: TenantPolicy,
    expectedVersion: number,
    actor: string,
    at: Date,
    outbox: OutboxEntries,
  ): Promise<StoredTenantPolicy>;
}
