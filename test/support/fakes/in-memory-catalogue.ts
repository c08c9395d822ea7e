import {
  illegalReleaseTransition,
  notPluginOwner,
  pluginNotFound,
  versionExists,
  versionNotFound,
} from '../../../shared/domain/errors/marketplace-errors.ts';
import type {
  CatalogueEntry,
  CatalogueListing,
  PublisherProfile,
  ReleaseRecord,
} from '../../../shared/domain/marketplace.ts';
import type {
  MarketplaceInstall,
  MarketplaceInstaller,
} from '../../../shared/domain/marketplace-installer.ts';
import { EMPTY_RATING, newestFirst, ratingFrom } from '../../../shared/domain/release-listing.ts';
import { isVisible, type Review } from '../../../shared/domain/review.ts';
import { type Clock, systemClock } from '../../../shared/ports/clock.ts';
import type {
  MarketplaceCatalogue,
  ReleaseSecurityChange,
  ReleaseStatusChange,
} from '../../../shared/ports/marketplace-catalogue.ts';
import type { OutboxEntries } from '../../../shared/ports/outbox.ts';
import { InMemoryOutbox } from './in-memory-outbox.ts';

/**
 * The catalogue in memory, with the adapter's semantics (ownership, immutability, counters). A
 * stored change commits its outbox entries to `outbox`; a refused one commits none.
 */
export class InMemoryCatalogue implements MarketplaceCatalogue {
  readonly entries = new Map<string, CatalogueEntry>();
  readonly releases = new Map<string, ReleaseRecord>();
  readonly publishers = new Map<string, PublisherProfile>();
  /** Installer records by `<plugin>|<tenant>`: kept after an uninstall, as the table keeps them. */
  readonly installers = new Map<string, MarketplaceInstaller>();
  readonly outbox: InMemoryOutbox;
  /** The change feed: plugin id → when its entry last changed (the adapter's GSI2 stamp). */
  readonly changedAt = new Map<string, number>();
  private readonly clock: Clock;

  constructor(outbox = new InMemoryOutbox(), clock: Clock = systemClock) {
    this.outbox = outbox;
    this.clock = clock;
  }

  /** Every entry write goes through here, as every adapter write carries `entryChangeStamp`. */
  private setEntry(entry: CatalogueEntry): void {
    this.entries.set(entry.pluginId, entry);
    this.changedAt.set(entry.pluginId, this.clock.now().getTime());
  }

  async listEntriesChangedSince(since: Date) {
    return [...this.entries.values()].filter(
      (entry) => (this.changedAt.get(entry.pluginId) ?? Number.NEGATIVE_INFINITY) > since.getTime(),
    );
  }

  async getRelease(pluginId: string, version: string) {
    return this.releases.get(`${pluginId}@${version}`);
  }

  async listReleases(pluginId: string) {
    return newestFirst([...this.releases.values()].filter((release) => release.pluginId === pluginId));
  }

  async createRelease(release: ReleaseRecord) {
    const entry = this.entries.get(release.pluginId);
    if (entry && entry.publisherId !== release.publisherId) throw notPluginOwner();
    if (this.releases.has(`${release.pluginId}@${release.version}`)) throw versionExists();
    if (!entry) {
      this.setEntry({
        pluginId: release.pluginId,
        publisherId: release.publisherId,
        name: release.metadata.name,
        description: release.metadata.description,
        author: release.metadata.author,
        tags: release.metadata.tags,
        createdAt: release.publishedAt,
        updatedAt: release.publishedAt,
        downloads: 0,
        rating: EMPTY_RATING,
        publisherVerified: false,
        securityStatus: 'clean',
      });
    }
    this.releases.set(`${release.pluginId}@${release.version}`, release);
  }

  async changeReleaseStatus(
    pluginId: string,
    version: string,
    change: ReleaseStatusChange,
    outbox: OutboxEntries = [],
  ) {
    const release = this.releases.get(`${pluginId}@${version}`);
    if (!release) throw versionNotFound();
    if (release.status === 'revoked') throw illegalReleaseTransition('revoked');
    const changed = { ...release, ...change };
    this.releases.set(`${pluginId}@${version}`, changed);
    this.outbox.commit(outbox);
    return changed;
  }

  async recordReleaseSecurity(
    pluginId: string,
    version: string,
    change: ReleaseSecurityChange,
    outbox: OutboxEntries = [],
  ) {
    const release = this.releases.get(`${pluginId}@${version}`);
    if (!release || release.security?.databaseVersion !== change.expectedDatabaseVersion) return false;
    const entry = this.entries.get(pluginId);
    if (change.entrySecurityStatus && !entry) throw pluginNotFound();
    this.releases.set(`${pluginId}@${version}`, { ...release, security: change.security });
    if (change.entrySecurityStatus && entry)
      this.setEntry({ ...entry, securityStatus: change.entrySecurityStatus });
    this.outbox.commit(outbox);
    return true;
  }

  async getEntry(pluginId: string) {
    return this.entries.get(pluginId);
  }

  async listEntries() {
    return [...this.entries.values()];
  }

  async saveListing(pluginId: string, listing: CatalogueListing, outbox: OutboxEntries = []) {
    const entry = this.entries.get(pluginId);
    if (!entry) throw pluginNotFound();
    const { latestVersion, ...rest } = listing;
    const { latestVersion: _dropped, ...kept } = entry;
    // publisherVerified, when the listing carries it, is copied with the rest (as the adapter does).
    this.setEntry({ ...kept, ...rest, ...(latestVersion ? { latestVersion } : {}) });
    this.outbox.commit(outbox);
  }

  async deprecate(
    pluginId: string,
    deprecation: { message: string; at: string },
    outbox: OutboxEntries = [],
  ) {
    const entry = this.entries.get(pluginId);
    if (!entry) throw pluginNotFound();
    this.setEntry({ ...entry, deprecated: deprecation });
    this.outbox.commit(outbox);
  }

  async incrementDownloads(pluginId: string, install: MarketplaceInstall, outbox: OutboxEntries = []) {
    const entry = this.entries.get(pluginId);
    if (!entry) throw pluginNotFound();
    this.setEntry({ ...entry, downloads: entry.downloads + 1 });
    const key = `${pluginId}|${install.tenantId}`;
    const before = this.installers.get(key);
    this.installers.set(key, {
      pluginId,
      tenantId: install.tenantId,
      firstVersion: before?.firstVersion ?? install.version,
      firstInstalledAt: before?.firstInstalledAt ?? install.at,
      lastVersion: install.version,
      lastInstalledAt: install.at,
    });
    this.outbox.commit(outbox);
  }

  async getInstaller(pluginId: string, tenantId: string) {
    return this.installers.get(`${pluginId}|${tenantId}`);
  }

  async getPublisher(publisherId: string) {
    return this.publishers.get(publisherId);
  }

  async putPublisher(profile: PublisherProfile) {
    this.publishers.set(profile.publisherId, profile);
  }

  async savePublisher(profile: PublisherProfile, outbox: OutboxEntries = []) {
    this.publishers.set(profile.publisherId, profile);
    this.outbox.commit(outbox);
  }

  async setPublisherVerified(publisherId: string, isVerified: boolean) {
    const written: string[] = [];
    for (const entry of this.entries.values()) {
      if (entry.publisherId !== publisherId) continue;
      this.setEntry({ ...entry, publisherVerified: isVerified });
      written.push(entry.pluginId);
    }
    return written;
  }

  /** Called by the in-memory review repository, as the DynamoDB transaction does. */
  adjustRating(pluginId: string, removed: Review | undefined, added: Review | undefined): void {
    const entry = this.entries.get(pluginId);
    if (!entry) return;
    const histogram = { ...entry.rating.histogram };
    let { count, sum } = entry.rating;
    if (removed && isVisible(removed)) {
      count -= 1;
      sum -= removed.stars;
      histogram[removed.stars as 1] -= 1;
    }
    if (added && isVisible(added)) {
      count += 1;
      sum += added.stars;
      histogram[added.stars as 1] += 1;
    }
    this.setEntry({ ...entry, rating: ratingFrom(count, sum, histogram) });
  }
}
