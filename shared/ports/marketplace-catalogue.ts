import type { ReleaseSecurity, ReleaseSecurityStatus } from '../domain/dependency-scan.ts';
import type {
  CatalogueEntry,
  CatalogueListing,
  PublisherProfile,
  ReleaseRecord,
} from '../domain/marketplace.ts';
import type { MarketplaceInstall, MarketplaceInstaller } from '../domain/marketplace-installer.ts';
import type { OutboxEntries } from './outbox.ts';
import type { ReleaseCatalogue } from './release-catalogue.ts';

/** A rescan's result for one release, and (when it is its plugin's latest offered) for its entry. */
export interface ReleaseSecurityChange {
  readonly security: ReleaseSecurity;
  /** The database version of the scan being replaced; `undefined`: the release was never scanned. */
  readonly expectedDatabaseVersion: string | undefined;
  /** Set on the entry too (with the change-feed stamp) when the release is the latest offered. */
  readonly entrySecurityStatus?: ReleaseSecurityStatus | undefined;
  readonly at: Date;
}

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
  /**
   * Stores a rescan's `security` beside the status (never touching it, so a concurrent yank or
   * revocation keeps both), only while the stored scan is still the expected one. Answers `false`
   * when another rescan got there first (nothing written, no outbox entries).
   */
  recordReleaseSecurity(
    pluginId: string,
    version: string,
    change: ReleaseSecurityChange,
    outbox: OutboxEntries,
  ): Promise<boolean>;
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
  /**
   * Counts an install and records the tenant as an installer of the plugin (first and last
   * version); both, and the install's audit record, commit together.
   */
  incrementDownloads(pluginId: string, install: MarketplaceInstall, outbox: OutboxEntries): Promise<void>;
  /** The tenant's installer record of the plugin: present once it installed it, kept after uninstall. */
  getInstaller(pluginId: string, tenantId: string): Promise<MarketplaceInstaller | undefined>;
  getPublisher(publisherId: string): Promise<PublisherProfile | undefined>;
  putPublisher(profile: PublisherProfile): Promise<void>;
  /** The profile and its outbox entries (a verification's audit record) in one transaction. */
  savePublisher(profile: PublisherProfile, outbox: OutboxEntries): Promise<void>;
  /**
   * Writes `publisherVerified` on every catalogue entry of the publisher (each write stamped for
   * the search change feed), in transactions of at most 100 items; answers the plugin ids written.
   */
  setPublisherVerified(publisherId: string, isVerified: boolean, at: Date): Promise<readonly string[]>;
}
