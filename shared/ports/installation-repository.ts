import type { PluginId, TenantId } from '../domain/identifiers.ts';
import type { Installation } from '../domain/installation.ts';
import type { OutboxEntries } from './outbox.ts';
import type { Page, PageRequest } from './page.ts';

/**
 * Every write takes the change's outbox entries (its audit record and lifecycle events) and stores
 * them in the same transaction: a refused write (its condition failed) stores none of them.
 */
export interface InstallationRepository {
  list(tenantId: TenantId, page: PageRequest): Promise<Page<Installation>>;
  get(tenantId: TenantId, pluginId: PluginId): Promise<Installation | undefined>;
  /** Inserts; `ALREADY_INSTALLED` when the tenant has this plugin. */
  create(installation: Installation, outbox: OutboxEntries): Promise<void>;
  /**
   * Replaces the installation only if its stored `revision` is still `installation.revision - 1`;
   * otherwise `CONCURRENT_MODIFICATION`, so no concurrent update is lost.
   */
  update(installation: Installation, outbox: OutboxEntries): Promise<void>;
  /** Deletes only at the expected revision (`CONCURRENT_MODIFICATION` otherwise). */
  delete(
    tenantId: TenantId,
    pluginId: PluginId,
    expectedRevision: number,
    outbox: OutboxEntries,
  ): Promise<void>;
  /** Every tenant's installation of a plugin (any version), for revocation and blast radius. */
  listByPlugin(pluginId: PluginId): Promise<Installation[]>;
}
