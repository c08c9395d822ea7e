import type { PluginStorage } from '../../../shared/sandbox/host.ts';
import type { JsonValue } from '../../../shared/sandbox/schemas.ts';
import type { PluginStorageProvider } from '../../../shared/services/execution/execution-dependencies.ts';

/** Per tenant and plugin key/value storage in memory (quota left to the sandbox's own accounting). */
export class InMemoryPluginStorage implements PluginStorageProvider {
  readonly entries = new Map<string, JsonValue>();

  forPlugin(tenantId: string, pluginId: string): PluginStorage {
    const prefix = `${tenantId}/${pluginId}/`;
    return {
      get: async (key) => structuredClone(this.entries.get(prefix + key)),
      set: async (key, value) => {
        this.entries.set(prefix + key, structuredClone(value));
      },
      delete: async (key) => {
        this.entries.delete(prefix + key);
      },
      list: async (keyPrefix) =>
        [...this.entries.keys()]
          .filter((key) => key.startsWith(prefix + (keyPrefix ?? '')))
          .map((key) => key.slice(prefix.length)),
    };
  }
}
