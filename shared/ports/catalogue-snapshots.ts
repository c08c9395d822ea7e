import type { CatalogueEntry } from '../domain/marketplace.ts';

/**
 * A copy of the whole catalogue listing in one object, so that a cold function instance builds its
 * search index from one read instead of paging through the table. `index` is the search engine's
 * serialized index of those entries (opaque here): loading it is faster than indexing again.
 * Instances that rebuilt from the table write it back.
 */
export interface CatalogueSnapshot {
  readonly entries: CatalogueEntry[];
  readonly takenAt: string;
  readonly index?: unknown;
}

export interface CatalogueSnapshots {
  read(): Promise<CatalogueSnapshot | undefined>;
  write(snapshot: CatalogueSnapshot): Promise<void>;
}
