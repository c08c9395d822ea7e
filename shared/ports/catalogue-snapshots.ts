import type { CatalogueEntry } from '../domain/marketplace.ts';

/**
 * A copy of the whole catalogue listing in one object, so that a cold function instance builds its
 * search index from one read instead of paging through the table. Instances that hold a fresh index
 * (after a publish, or a background refresh from the table) write it back.
 */
export interface CatalogueSnapshots {
  read(): Promise<{ entries: CatalogueEntry[]; takenAt: string } | undefined>;
  write(entries: readonly CatalogueEntry[], takenAt: string): Promise<void>;
}
