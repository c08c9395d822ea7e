import { alreadyInstalled, concurrentModification } from '../../../shared/domain/errors/lifecycle-errors.ts';
import type { PluginId, TenantId } from '../../../shared/domain/identifiers.ts';
import type { Installation } from '../../../shared/domain/installation.ts';
import type { InstallationRepository } from '../../../shared/ports/installation-repository.ts';
import type { OutboxEntries } from '../../../shared/ports/outbox.ts';
import type { Page, PageRequest } from '../../../shared/ports/page.ts';
import { InMemoryOutbox } from './in-memory-outbox.ts';

/**
 * Installations in memory, with the adapter's revision checks and cursor paging. A stored change
 * commits its outbox entries to `outbox` in the same step; a refused one commits none.
 */
export class InMemoryInstallationRepository implements InstallationRepository {
  readonly items = new Map<string, Installation>();
  readonly outbox: InMemoryOutbox;

  constructor(installations: readonly Installation[] = [], outbox = new InMemoryOutbox()) {
    this.outbox = outbox;
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

  async create(installation: Installation, outbox: OutboxEntries = []) {
    if (this.items.has(keyOf(installation))) throw alreadyInstalled();
    this.items.set(keyOf(installation), structuredClone(installation));
    this.outbox.commit(outbox);
  }

  async update(installation: Installation, outbox: OutboxEntries = []) {
    const stored = this.items.get(keyOf(installation));
    if (stored?.revision !== installation.revision - 1) {
      throw concurrentModification('plugin');
    }
    this.items.set(keyOf(installation), structuredClone(installation));
    this.outbox.commit(outbox);
  }

  async delete(tenantId: TenantId, pluginId: PluginId, expectedRevision: number, outbox: OutboxEntries = []) {
    const stored = this.items.get(`${tenantId}/${pluginId}`);
    if (stored?.revision !== expectedRevision) throw concurrentModification('plugin');
    this.items.delete(`${tenantId}/${pluginId}`);
    this.outbox.commit(outbox);
  }

  async listByPlugin(pluginId: PluginId) {
    return [...this.items.values()]
      .filter((item) => item.pluginId === pluginId)
      .map((item) => structuredClone(item));
  }
}

const keyOf = (installation: Installation) => `${installation.tenantId}/${installation.pluginId}`;
