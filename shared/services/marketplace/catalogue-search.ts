import type { CatalogueEntry } from '../../domain/marketplace.ts';
import type { CatalogueSnapshots } from '../../ports/catalogue-snapshots.ts';
import type { Clock } from '../../ports/clock.ts';
import type { MarketplaceCatalogue } from '../../ports/marketplace-catalogue.ts';
import { type SearchDocument, SearchIndex } from '../../search/search-index.ts';
import { decodeSearchPosition, encodeSearchPosition, fingerprintOf } from '../../search/search-position.ts';
import { parseSearchQuery, type SearchParameters } from '../../search/search-query.ts';

interface IndexedEntry extends SearchDocument {
  readonly entry: CatalogueEntry;
}

export interface SearchPage {
  readonly items: CatalogueEntry[];
  readonly nextCursor?: string;
  readonly total: number;
  readonly facets: { readonly tags: Record<string, number> };
}

const toDocument = (entry: CatalogueEntry): IndexedEntry => ({
  id: entry.pluginId,
  name: entry.name,
  description: entry.description,
  tags: entry.tags,
  publisher: `${entry.author} ${entry.publisherId}`,
  downloads: entry.downloads,
  rating: entry.rating.average,
  updatedAt: entry.updatedAt,
  entry,
});

/** Only plugins with a version to offer are discoverable. */
const isListed = (entry: CatalogueEntry) => entry.latestVersion !== undefined;

/**
 * The search index of one function instance: built at cold start from the catalogue snapshot (one
 * object read) or, without one, from the table; rebuilt from the table in the background once older
 * than `maxAgeMs` (other instances' publishes, counters), writing the snapshot back. This
 * instance's own changes apply at once. A failed refresh keeps the previous index.
 */
export class CatalogueSearch {
  private readonly catalogue: Pick<MarketplaceCatalogue, 'listEntries' | 'getEntry'>;
  private readonly clock: Clock;
  private readonly maxAgeMs: number;
  private readonly onRefreshError: (error: unknown) => void;
  private readonly snapshots: CatalogueSnapshots | undefined;
  private entries = new Map<string, CatalogueEntry>();
  private index: SearchIndex<IndexedEntry> | undefined;
  private builtAt = 0;
  private loading: Promise<void> | undefined;

  constructor(deps: {
    catalogue: Pick<MarketplaceCatalogue, 'listEntries' | 'getEntry'>;
    clock: Clock;
    maxAgeMs: number;
    onRefreshError?: (error: unknown) => void;
    snapshots?: CatalogueSnapshots;
  }) {
    this.snapshots = deps.snapshots;
    this.catalogue = deps.catalogue;
    this.clock = deps.clock;
    this.maxAgeMs = deps.maxAgeMs;
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
        this.replaceAll(snapshot.entries, Date.parse(snapshot.takenAt));
        return;
      }
    }
    const takenAt = this.clock.now();
    this.replaceAll(await this.catalogue.listEntries(), takenAt.getTime());
    await this.saveSnapshot(takenAt);
  }

  async search(parameters: SearchParameters): Promise<SearchPage> {
    if (!this.index) await this.warm();
    else if (this.clock.now().getTime() - this.builtAt > this.maxAgeMs && !this.loading) {
      this.warm().catch(this.onRefreshError);
    }
    const index = this.index as SearchIndex<IndexedEntry>;
    const terms = parseSearchQuery(parameters.query);
    const tags = [...new Set(parameters.tags)].sort();
    const fingerprint = fingerprintOf([terms, tags, parameters.sort]);
    const offset = decodeSearchPosition(parameters.cursor, fingerprint);
    const result = index.search({ terms, tags, sort: parameters.sort, offset, limit: parameters.limit });
    const next = offset + result.items.length;
    return {
      items: result.items.map((document) => document.entry),
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

  /** Applies this instance's own change at once instead of waiting for the next refresh. */
  async upsert(entry: CatalogueEntry): Promise<void> {
    if (!this.index) return;
    this.entries.set(entry.pluginId, entry);
    this.rebuild(this.clock.now().getTime());
    await this.saveSnapshot(this.clock.now());
  }

  private replaceAll(entries: readonly CatalogueEntry[], builtAt: number): void {
    this.entries = new Map(entries.map((entry) => [entry.pluginId, entry]));
    this.rebuild(builtAt);
  }

  private rebuild(builtAt: number): void {
    this.index = new SearchIndex([...this.entries.values()].filter(isListed).map(toDocument));
    this.builtAt = builtAt;
  }

  /** Best effort: a failed snapshot write only makes the next cold start read the table. */
  private async saveSnapshot(takenAt: Date): Promise<void> {
    if (!this.snapshots) return;
    await this.snapshots.write([...this.entries.values()], takenAt.toISOString()).catch(this.onRefreshError);
  }
}
