import type { PluginStorage } from '../../../shared/sandbox/host.ts';
import { createInMemoryPluginStorage } from '../../../shared/sandbox/in-memory-plugin-storage.ts';
import type { JsonValue } from '../../../shared/sandbox/schemas.ts';
import type { PluginStorageProvider } from '../../../shared/services/execution/execution-dependencies.ts';

/** Per tenant and plugin key/value storage in memory, with the store-side atomic quota check. */
export class InMemoryPluginStorage implements PluginStorageProvider {
  readonly entries = new Map<string, JsonValue>();

  forPlugin(tenantId: string, pluginId: string): PluginStorage {
    return createInMemoryPluginStorage(this.entries, `${tenantId}/${pluginId}/`);
  }
}
