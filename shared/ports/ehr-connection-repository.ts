import type { EhrConnection } from '../domain/ehr-connection.ts';
import type { TenantId } from '../domain/identifiers.ts';
import type { OutboxEntries } from './outbox.ts';

/** One EHR connection per tenant (an item in the plugins table, under the tenant's partition). */
export interface EhrConnectionRepository {
  get(tenantId: TenantId): Promise<EhrConnection | undefined>;
  /**
   * Writes only if the stored version is still `expectedVersion` (0: none stored yet); else
   * CONCURRENT_MODIFICATION. The change's outbox entries commit in the same transaction.
   */
  put(connection: EhrConnection, expectedVersion: number, outbox: OutboxEntries): Promise<EhrConnection>;
}
