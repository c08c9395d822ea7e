import type { CatalogueEntry } from '../../domain/marketplace.ts';
import type { CatalogueSnapshots } from '../../ports/catalogue-snapshots.ts';
import type { Clock } from '../../ports/clock.ts';
import type { MarketplaceCatalogue } from '../../ports/marketplace-catalogue.ts';
import { type CatalogueFacets, CatalogueIndex, queryTerms } from '../../search/catalogue-index.ts';
import { decodeSearchPosition, encodeSearchPosition, fingerprintOf } from '../../search/search-position.ts';
import type { SearchParameters } from '../../search/search-query.ts';

export interface SearchPage {
  readonly items: CatalogueEntry[];
  readonly nextCursor?: string;
  readonly total: number;
  readonly facets: CatalogueFacets;
}

/**
 * How far back each read of the change feed reaches before the last one: writers stamp changes
 * with their own clocks (skew between instances) and the feed is a GSI (propagation lag), so a
 * change stamped a little before the previous read may only become visible after it. Re-applying
 * an entry is idempotent, so overlapping costs only the re-read.
 */
export const FEED_OVERLAP_MS = 5_000;
export const DEFAULT_SYNC_INTERVAL_MS = 1_000;

type SearchCatalogue = Pick<MarketplaceCatalogue, 'listEntries' | 'getEntry' | 'listEntriesChangedSince'>;

/**
 * The search index of one function instance. Cold start: the catalogue snapshot (one object read,
 * with the engine's serialized index) or, without one, the table. Freshness: a search first
 * applies the change feed when the last read of it is older than `syncIntervalMs`, so other
 * instances' writes show within that interval (plus GSI propagation); this instance's own changes
 * apply at once (`upsert`, `refresh`). A full rebuild from the table once the index is older than
 * `maxAgeMs` stays as the safety net (it also writes the snapshot back).
 */
export class CatalogueSearch {
  private readonly catalogue: SearchCatalogue;
  private readonly clock: Clock;
  private readonly maxAgeMs: number;
  private readonly syncIntervalMs: number;
  private readonly onRefreshError: (error: unknown) => void;
  private readonly snapshots: CatalogueSnapshots | undefined;
  private index: CatalogueIndex | undefined;
  /** Bumped on every full load, so a feed read that raced one does not advance the watermark. */
  private generation = 0;
  private builtAt = 0;
  /** Every change stamped before this (less the overlap) is in the index. */
  private syncedUpTo = 0;
  private lastSyncAt = Number.NEGATIVE_INFINITY;
  private loading: Promise<void> | undefined;
  private syncing: Promise<void> | undefined;
  /** Own changes applied while a feed read was in flight: newer than what that read returns. */
  private readonly upsertedDuringSync = new Set<string>();

  constructor(deps: {
    catalogue: SearchCatalogue;
    clock: Clock;
    maxAgeMs: number;
    syncIntervalMs?: number;
    onRefreshError?: (error: unknown) => void;
    snapshots?: CatalogueSnapshots;
  }) {
    this.snapshots = deps.snapshots;
    this.catalogue = deps.catalogue;
    this.clock = deps.clock;
    this.maxAgeMs = deps.maxAgeMs;
    this.syncIntervalMs = deps.syncIntervalMs ?? DEFAULT_SYNC_INTERVAL_MS;
    this.onRefreshError = deps.onRefreshError ?? (() => undefined);
  }

  /** Builds the index (snapshot first at cold start); concurrent callers share one load. */
  warm(): Promise<void> {
    this.loading ??= this.load().finally(() => {
      this.loading = undefined;
    });
    return this.loading;
  }

  private async load(): Promise<void> {
    if (!this.index && this.snapshots) {
      const snapshot = await this.snapshots.read().catch((error) => {
        this.onRefreshError(error);
        return undefined;
      });
      if (snapshot) {
        const index =
          snapshot.index === undefined
            ? CatalogueIndex.build(snapshot.entries)
            : CatalogueIndex.restore(snapshot.entries, snapshot.index);
        this.replace(index, Date.parse(snapshot.takenAt));
        return;
      }
    }
    const takenAt = this.clock.now();
    const index = CatalogueIndex.build(await this.catalogue.listEntries());
    this.replace(index, takenAt.getTime());
    await this.saveSnapshot(index, takenAt);
  }

  async search(parameters: SearchParameters): Promise<SearchPage> {
    if (!this.index) await this.warm();
    else if (this.clock.now().getTime() - this.builtAt > this.maxAgeMs && !this.loading) {
      this.warm().catch(this.onRefreshError);
    }
    await this.syncIfDue();
    const index = this.index as CatalogueIndex;
    const tags = [...new Set(parameters.tags)].sort();
    const fingerprint = fingerprintOf([
      queryTerms(parameters.query),
      tags,
      parameters.sort,
      parameters.verified,
    ]);
    const offset = decodeSearchPosition(parameters.cursor, fingerprint);
    const result = index.query({
      text: parameters.query,
      tags,
      verified: parameters.verified,
      sort: parameters.sort,
      offset,
      limit: parameters.limit,
    });
    const next = offset + result.items.length;
    return {
      items: result.items,
      ...(next < result.total ? { nextCursor: encodeSearchPosition(next, fingerprint) } : {}),
      total: result.total,
      facets: result.facets,
    };
  }

  /**
   * Re-reads one entry after this instance committed a change to it (an install's count, a review's
   * rating, a verification), so the next search here already reflects it.
   */
  async refresh(pluginId: string): Promise<void> {
    const entry = await this.catalogue.getEntry(pluginId);
    if (entry) await this.upsert(entry);
  }

  /**
   * Applies this instance's own change at once. The snapshot is not rewritten here: a cold
   * instance catches up from the change feed since the snapshot was taken.
   */
  async upsert(entry: CatalogueEntry): Promise<void> {
    this.index?.apply(entry);
    if (this.syncing) this.upsertedDuringSync.add(entry.pluginId);
  }

  /** Concurrent searches share one feed read. */
  private syncIfDue(): Promise<void> {
    if (this.clock.now().getTime() - this.lastSyncAt < this.syncIntervalMs) return Promise.resolve();
    this.syncing ??= this.sync().finally(() => {
      this.syncing = undefined;
    });
    return this.syncing;
  }

  private async sync(): Promise<void> {
    const startedAt = this.clock.now().getTime();
    const generation = this.generation;
    this.lastSyncAt = startedAt;
    try {
      const changed = await this.catalogue.listEntriesChangedSince(
        new Date(this.syncedUpTo - FEED_OVERLAP_MS),
      );
      if (generation !== this.generation) return;
      for (const entry of changed) {
        if (!this.upsertedDuringSync.has(entry.pluginId)) this.index?.apply(entry);
      }
      this.syncedUpTo = Math.max(this.syncedUpTo, startedAt);
    } catch (error) {
      // The listing is public metadata: serving the previous index beats failing the search, and
      // the next search after the interval retries the read. The caller logs the error's name only.
      this.onRefreshError(error);
    } finally {
      this.upsertedDuringSync.clear();
    }
  }

  private replace(index: CatalogueIndex, takenAt: number): void {
    this.index = index;
    this.generation++;
    this.builtAt = takenAt;
    // The load read entries from `takenAt` on: the feed is read again from there at the next search.
    this.syncedUpTo = takenAt;
    this.lastSyncAt = Number.NEGATIVE_INFINITY;
  }

  /** Best effort: a failed snapshot write only makes the next cold start read the table. */
  private async saveSnapshot(index: CatalogueIndex, takenAt: Date): Promise<void> {
    if (!this.snapshots) return;
    await this.snapshots
      .write({ entries: index.listed(), takenAt: takenAt.toISOString(), index: index.serialize() })
      .catch(this.onRefreshError);
  }
}
