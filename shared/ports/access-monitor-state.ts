import type { AnomalyRule } from '../domain/access-monitoring/anomaly.ts';

/**
 * Whose rule state a blob is: a plugin or publisher within a tenant, or (no tenant) a publisher
 * across the whole platform.
 */
export interface AccessMonitorStateKey {
  readonly rule: AnomalyRule;
  readonly tenantId?: string | undefined;
  readonly subjectId: string;
}

/**
 * A rule's state as stored, with the version a conditional write must name: no data and version 0
 * for a key never written; no data but its version for an expired blob (TTL deletes lazily).
 */
export interface StoredMonitorState {
  readonly data?: unknown;
  readonly version: number;
}

/**
 * Small state blobs of the access-pattern rules. Writes are conditional on the version read (0 for
 * a new key), so two detectors on one key cannot both count the same window; a blob expires at
 * `expiresAt` once nothing has touched its key for a while.
 */
export interface AccessMonitorState {
  get(key: AccessMonitorStateKey, now: Date): Promise<StoredMonitorState>;
  /** Answers false, writing nothing, when the stored version is no longer `expectedVersion`. */
  put(key: AccessMonitorStateKey, data: unknown, expectedVersion: number, expiresAt: Date): Promise<boolean>;
}
