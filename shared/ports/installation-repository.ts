import type { PluginId, TenantId } from '../domain/identifiers.ts';
import type { Installation } from '../domain/installation.ts';
import type { Page, PageRequest } from './page.ts';

export interface InstallationRepository {
  list(tenantId: TenantId, page: PageRequest): Promise<Page<Installation>>;
  get(tenantId: TenantId, pluginId: PluginId): Promise<Installation | undefined>;
  /** Inserts; `ALREADY_INSTALLED` when the tenant has this plugin. */
  create(installation: Installation): Promise<void>;
  /**
   * Replaces the installation only if its stored `revision` is still `installation.revision - 1`;
   * otherwise `CONCURRENT_MODIFICATION`, so no concurrent update is lost.
   */
  update(installation: Installation): Promise<void>;
  /** Deletes only at the expected revision (`CONCURRENT_MODIFICATION` otherwise). */
  delete(tenantId: TenantId, pluginId: PluginId, expectedRevision: number): Promise<void>;
  /** Every tenant's installation of a plugin (any version), for revocation and blast radius. */
  listByPlugin(pluginId: PluginId): Promise<Installation[]>;
}
