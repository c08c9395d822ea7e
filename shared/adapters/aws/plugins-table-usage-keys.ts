import { tenantPartition } from './plugins-table-keys.ts';

/**
 * Execution-side items in the plugins table, all in the tenant's partition so that no query for
 * one tenant can read another's (see plugins-table-keys.ts for the lifecycle items):
 *   SK COUNTER#<plugin>#<counter>#<bucket start, ms>   a rate bucket (expiresAt TTL)
 *   SK STORE#<plugin>#ENTRY#<key>                       one plugin storage entry
 *   SK STORE#<plugin>#BYTES                             the plugin's storage bytes counter
 *   SK USAGE#<plugin>#VERSION#<version>                 usage aggregate (GSI1 RELEASE#<plugin>#<version> / TENANT#<tenant>)
 *   SK USAGEBUCKET#<plugin>#<interval>#<start, ms>      usage of one minute, hour or day (expiresAt TTL)
 *   SK EVENT#<plugin>#<event id>                        an event delivery marker (expiresAt TTL)
 *   SK RUNSLOT#<slot>                                   a run lease of the tenant (expiresAt TTL)
 */
export { tenantPartition };

/** Bucket starts are zero-padded so that sort-key order is time order and BETWEEN selects a window. */
const padded = (value: number): string => String(value).padStart(16, '0');

export const counterPrefix = (counterKey: string): string => `COUNTER#${counterKey}#`;
export const counterBucketKey = (counterKey: string, bucketStartMs: number): string =>
  `${counterPrefix(counterKey)}${padded(bucketStartMs)}`;

export const storagePrefix = (pluginId: string): string => `STORE#${pluginId}#`;
export const storageEntryPrefix = (pluginId: string): string => `${storagePrefix(pluginId)}ENTRY#`;
export const storageEntryKey = (pluginId: string, key: string): string =>
  `${storageEntryPrefix(pluginId)}${key}`;
export const storageBytesKey = (pluginId: string): string => `${storagePrefix(pluginId)}BYTES`;

export const usagePrefix = (pluginId: string): string => `USAGE#${pluginId}#VERSION#`;
export const usageKey = (pluginId: string, version: string): string => `${usagePrefix(pluginId)}${version}`;
export const usageBucketPrefix = (pluginId: string, interval: string): string =>
  `USAGEBUCKET#${pluginId}#${interval}#`;
export const usageBucketKey = (pluginId: string, interval: string, bucketStartMs: number): string =>
  `${usageBucketPrefix(pluginId, interval)}${padded(bucketStartMs)}`;
export const releaseIndexKey = (pluginId: string, version: string): string =>
  `RELEASE#${pluginId}#${version}`;

export const eventMarkerKey = (pluginId: string, eventId: string): string => `EVENT#${pluginId}#${eventId}`;

export const RUN_SLOT_PREFIX = 'RUNSLOT#';
export const runSlotKey = (slot: number): string => `${RUN_SLOT_PREFIX}${String(slot).padStart(3, '0')}`;
