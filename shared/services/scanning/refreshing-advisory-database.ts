import { AdvisoryRecordIndex } from '../../domain/advisory-record-index.ts';
import type { OsvRecord } from '../../domain/dependency-scan.ts';
import type { AdvisoryDatabase } from '../../ports/advisory-database.ts';
import type { AdvisoryDatabaseStore } from '../../ports/advisory-database-store.ts';
import type { Clock } from '../../ports/clock.ts';

export interface RefreshingAdvisoryDatabaseOptions {
  readonly store: AdvisoryDatabaseStore;
  /** The snapshot shipped in the bundle: served until the store has a copy. */
  readonly fallback: AdvisoryDatabase;
  readonly clock: Clock;
  /** How long one instance serves its copy before reading the store again. */
  readonly maxAgeMs: number;
  readonly onReadError?: (error: unknown) => void;
}

/**
 * Serves the stored (refreshed) advisory database, else the shipped fallback, re-reading the store
 * at most every `maxAgeMs` per instance. Concurrent callers share one read.
 *
 * Fail closed: a failed read keeps the last good copy, or the shipped snapshot at a cold start. That
 * is closed enough because advisory sets only grow: a stale copy misses the newest advisories for a
 * few minutes (the next read picks them up), but it never serves an empty set that would pass what
 * an older copy refuses.
 */
export class RefreshingAdvisoryDatabase implements AdvisoryDatabase {
  private readonly options: RefreshingAdvisoryDatabaseOptions;
  private current: AdvisoryDatabase;
  private readAt: number | undefined;
  private pending: Promise<void> | undefined;

  constructor(options: RefreshingAdvisoryDatabaseOptions) {
    this.options = options;
    this.current = options.fallback;
  }

  async version(): Promise<string> {
    return (await this.fresh()).version();
  }

  async advisoriesFor(packageName: string): Promise<readonly OsvRecord[]> {
    return (await this.fresh()).advisoriesFor(packageName);
  }

  /** Forgets the copy's age: the next call reads the store (after this instance wrote it). */
  invalidate(): void {
    this.readAt = undefined;
  }

  private async fresh(): Promise<AdvisoryDatabase> {
    const now = this.options.clock.now().getTime();
    if (this.readAt !== undefined && now - this.readAt < this.options.maxAgeMs) return this.current;
    this.pending ??= this.reload(now).finally(() => {
      this.pending = undefined;
    });
    await this.pending;
    return this.current;
  }

  private async reload(now: number): Promise<void> {
    try {
      const stored = await this.options.store.read();
      if (stored) this.current = new AdvisoryRecordIndex(stored.records, stored.version);
    } catch (error) {
      this.options.onReadError?.(error);
    }
    // A failed read also waits `maxAgeMs` before the next try: the store is not hammered.
    this.readAt = now;
  }
}
