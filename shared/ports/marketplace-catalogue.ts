import type {
  CatalogueEntry,
  CatalogueListing,
  PublisherProfile,
  ReleaseRecord,
} from '../domain/marketplace.ts';
import type { OutboxEntries } from './outbox.ts';
import type { ReleaseCatalogue } from './release-catalogue.ts';

export type ReleaseStatusChange =
  | { status: 'yanked'; yankedAt: string }
  | { status: 'revoked'; revokedAt: string; revokedReason: string };

/**
 * The marketplace's catalogue, read and write side. Counters (downloads, ratings) live beside the
 * listing and are only ever changed atomically by the adapter, never read-modify-written here.
 * A write that takes `outbox` stores those entries (the action's audit record) in the same
 * transaction as its change, and none of them when its condition refuses the change.
 */
export interface MarketplaceCatalogue extends ReleaseCatalogue {
  getRelease(pluginId: string, version: string): Promise<ReleaseRecord | undefined>;
  listReleases(pluginId: string): Promise<ReleaseRecord[]>;
  /**
   * Claims the version, and the plugin id for its first publisher, in one atomic write.
   * Throws `NOT_PLUGIN_OWNER` when another publisher owns the id and
   * `VERSION_EXISTS` when the version was published before.
   */
  createRelease(release: ReleaseRecord): Promise<void>;
  /** Changes only an active (or, for revocation, yanked) release; returns the stored record. */
  changeReleaseStatus(
    pluginId: string,
    version: string,
    change: ReleaseStatusChange,
    outbox: OutboxEntries,
  ): Promise<ReleaseRecord>;
  getEntry(pluginId: string): Promise<CatalogueEntry | undefined>;
  listEntries(): Promise<CatalogueEntry[]>;
  /**
   * The change feed: entries whose last stamped change (`entryChangeStamp`) is after `since`, by
   * the writer's clock. Eventually consistent (an index): readers overlap their windows.
   */
  listEntriesChangedSince(since: Date): Promise<CatalogueEntry[]>;
  /** The listing recomputed from the releases; `PLUGIN_NOT_FOUND` without an entry. */
  saveListing(pluginId: string, listing: CatalogueListing, outbox: OutboxEntries): Promise<void>;
  deprecate(
    pluginId: string,
    deprecation: { message: string; at: string },
    outbox: OutboxEntries,
  ): Promise<void>;
  /** Counts an install; its record (the marketplace install's) commits with the count. */
  incrementDownloads(pluginId: string, outbox: OutboxEntries): Promise<void>;
  getPublisher(publisherId: string): Promise<PublisherProfile | undefined>;
  putPublisher(profile: PublisherProfile): Promise<void>;
}
