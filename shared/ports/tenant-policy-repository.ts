import type { TenantId } from '../domain/identifiers.ts';
import type { StoredTenantPolicy, TenantPolicy } from '../domain/tenant-policy.ts';

export interface TenantPolicyRepository {
  /** The stored policy, or the defaults at version 0 for a tenant that never set one. */
  get(tenantId: TenantId): Promise<StoredTenantPolicy>;
  /** Writes only if the stored version is still `expectedVersion`; else CONCURRENT_MODIFICATION. */
  put(
    tenantId: TenantId,
    policy: TenantPolicy,
    expectedVersion: number,
    actor: string,
    at: Date,
  ): Promise<StoredTenantPolicy>;
}
