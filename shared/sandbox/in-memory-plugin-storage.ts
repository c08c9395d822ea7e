import type { PluginStorage, QuotaWrite } from './host.ts';
import type { JsonValue } from './schemas.ts';

/**
 * Plugin storage in a Map, for one process (the CLI's fixture host, tests). `setWithinQuota`
 * checks and writes with no await in between, so concurrent runs in the process share the quota
 * exactly as they do against the DynamoDB store. Keys are stored under `prefix`, so one Map can
 * hold several tenants' and plugins' entries.
 */
export function createInMemoryPluginStorage(entries: Map<string, JsonValue>, prefix = ''): PluginStorage {
  const bytesOf = (key: string, value: JsonValue) =>
    Buffer.byteLength(key) + Buffer.byteLength(JSON.stringify(value));
  const bytesUsed = () => {
    let total = 0;
    for (const [key, value] of entries)
      if (key.startsWith(prefix)) total += bytesOf(key.slice(prefix.length), value);
    return total;
  };
  return {
    get: async (key) => structuredClone(entries.get(prefix + key)),
    set: async (key, value) => {
      entries.set(prefix + key, structuredClone(value));
    },
    delete: async (key) => {
      entries.delete(prefix + key);
    },
    list: async (keyPrefix) =>
      [...entries.keys()]
        .filter((key) => key.startsWith(prefix + (keyPrefix ?? '')))
        .map((key) => key.slice(prefix.length)),
    bytesUsed: async () => bytesUsed(),
    setWithinQuota: async (key, value, quotaBytes): Promise<QuotaWrite> => {
      const previous = entries.get(prefix + key);
      const deltaBytes = bytesOf(key, value) - (previous === undefined ? 0 : bytesOf(key, previous));
      const used = bytesUsed();
      if (deltaBytes > 0 && used + deltaBytes > quotaBytes)
        return { isStored: false, deltaBytes, bytesUsed: used };
      entries.set(prefix + key, structuredClone(value));
      return { isStored: true, deltaBytes };
    },
  };
}
