import { alreadyInstalled, concurrentModification } from '../../../shared/domain/errors/lifecycle-errors.ts';
import type { PluginId, TenantId } from '../../../shared/domain/identifiers.ts';
import type { Installation } from '../../../shared/domain/installation.ts';
import type { InstallationRepository } from '../../../shared/ports/installation-repository.ts';
import type { Page, PageRequest } from '../../../shared/ports/page.ts';

/** Installations in memory, with the adapter's revision checks and cursor paging. */
export class InMemoryInstallationRepository implements InstallationRepository {
  readonly items = new Map<string, Installation>();

  constructor(installations: readonly Installation[] = []) {
    for (const installation of installations)
      this.items.set(keyOf(installation), structuredClone(installation));
  }

  async list(tenantId: TenantId, page: PageRequest): Promise<Page<Installation>> {
    const all = [...this.items.values()]
      .filter((item) => item.tenantId === tenantId)
      .sort((a, b) => a.pluginId.localeCompare(b.pluginId));
    const start = page.cursor ? Number(page.cursor) : 0;
    const items = all.slice(start, start + page.limit).map((item) => structuredClone(item));
    const next = start + page.limit;
    return { items, nextCursor: next < all.length ? String(next) : undefined };
  }

  async get(tenantId: TenantId, pluginId: PluginId) {
    const found = this.items.get(`${tenantId}/${pluginId}`);
    return found ? structuredClone(found) : undefined;
  }

  async create(installation: Installation) {
    if (this.items.has(keyOf(installation))) throw alreadyInstalled();
    this.items.set(keyOf(installation), structuredClone(installation));
  }

  async update(installation: Installation) {
    const stored = this.items.get(keyOf(installation));
    if (stored?.revision !== installation.revision - 1) {
      throw concurrentModification('plugin');
    }
    this.items.set(keyOf(installation), structuredClone(installation));
  }

  async delete(tenantId: TenantId, pluginId: PluginId, expectedRevision: number) {
    const stored = this.items.get(`${tenantId}/${pluginId}`);
    if (stored?.revision !== expectedRevision) throw concurrentModification('plugin');
    this.items.delete(`${tenantId}/${pluginId}`);
  }

  async listByPlugin(pluginId: PluginId) {
    return [...this.items.values()]
      .filter((item) => item.pluginId === pluginId)
      .map((item) => structuredClone(item));
  }
}

const keyOf = (installation: Installation) => `${installation.tenantId}/${installation.pluginId}`;
