import { gt } from 'semver';
import { forbidden } from '../../domain/errors/auth-errors.ts';
import {
  illegalReleaseTransition,
  notPluginOwner,
  pluginNotFound,
  versionNotFound,
} from '../../domain/errors/marketplace-errors.ts';
import { artifactTooLarge } from '../../domain/errors/package-errors.ts';
import type { Installation } from '../../domain/installation.ts';
import type {
  CatalogueEntry,
  PublishRequest,
  RegisterPublisherKeyRequest,
  ReleaseRecord,
} from '../../domain/marketplace.ts';
import type {
  BlastRadiusReport,
  PluginPage,
  RevocationReport,
  UpdateAvailable,
} from '../../domain/marketplace-views.ts';
import { isPrerelease, latestOffered, newestFirst } from '../../domain/release-listing.ts';
import { type ReviewInput, toPublicReview } from '../../domain/review.ts';
import type { ArtifactUpload } from '../../ports/artifact-uploads.ts';
import type { Page, PageRequest } from '../../ports/page.ts';
import type { PublisherKey } from '../../ports/publisher-key-repository.ts';
import type { SearchParameters } from '../../search/search-query.ts';
import { audited } from '../audit/audit-trail.ts';
import { MAX_ARTIFACT_BYTES } from '../validation/validate-plugin-package.ts';
import { blastRadiusOf } from './blast-radius.ts';
import { downloadAndInstall } from './install-release.ts';
import { deleteReview, putReview } from './manage-reviews.ts';
import {
  actorIdOf,
  isPlatformAdmin,
  type MarketplaceActor,
  type MarketplaceDependencies,
  publisherIdOf,
} from './marketplace-dependencies.ts';
import { toPluginPage, toPluginSummary, toVersionSummary } from './plugin-views.ts';
import { publishRelease } from './publish-release.ts';
import { refreshListing } from './refresh-listing.ts';
import { registerPublisherKey } from './register-publisher-key.ts';
import { revokePublisherKey } from './revoke-publisher-key.ts';
import { revokeRelease } from './revoke-release.ts';

/**
 * The marketplace use cases, one instance per function (ports only). Every method takes the
 * verified actor; per-operation authorisation beyond the route's scopes (ownership) lives here.
 */
export class PluginMarketplaceService {
  private readonly deps: MarketplaceDependencies;

  constructor(deps: MarketplaceDependencies) {
    this.deps = deps;
  }

  async searchPlugins(parameters: SearchParameters) {
    const page = await this.deps.search.search(parameters);
    return { ...page, items: page.items.map(toPluginSummary) };
  }

  publish(request: PublishRequest, actor: MarketplaceActor): Promise<ReleaseRecord> {
    return publishRelease(request, actor, this.deps);
  }

  async createUpload(
    request: { sizeBytes: number; sha256: string },
    actor: MarketplaceActor,
  ): Promise<ArtifactUpload> {
    if (request.sizeBytes > MAX_ARTIFACT_BYTES) {
      throw artifactTooLarge(MAX_ARTIFACT_BYTES, 'sizeBytes');
    }
    return this.deps.uploads.createUpload({
      ...request,
      publisherId: publisherIdOf(actor),
      uploadId: this.deps.ids.next(),
    });
  }

  async getPlugin(pluginId: string): Promise<PluginPage> {
    const entry = await this.requireEntry(pluginId);
    const [releases, publisher] = await Promise.all([
      this.deps.catalogue.listReleases(pluginId),
      this.deps.catalogue.getPublisher(entry.publisherId),
    ]);
    return toPluginPage(entry, releases, publisher);
  }

  async listVersions(pluginId: string, options: { includePrerelease: boolean }) {
    await this.requireEntry(pluginId);
    const releases = await this.deps.catalogue.listReleases(pluginId);
    const latest = latestOffered(releases, options)?.version;
    const shown = newestFirst(releases).filter(
      (release) => options.includePrerelease || !isPrerelease(release.version),
    );
    return { items: shown.map((release) => toVersionSummary(release, latest)) };
  }

  downloadAndInstall(pluginId: string, version: string, actor: MarketplaceActor): Promise<Installation> {
    return downloadAndInstall(pluginId, version, actor, this.deps);
  }

  /** A publisher yanks its own versions; a platform admin may yank anyone's. */
  yankVersion(pluginId: string, version: string, actor: MarketplaceActor): Promise<ReleaseRecord> {
    return audited(
      this.deps,
      this.auditBase('marketplace:yank', actor, pluginId, version),
      async (commit) => {
        const release = await this.deps.catalogue.getRelease(pluginId, version);
        if (!release) throw versionNotFound();
        this.requireOwnerOrAdmin(release.publisherId, actor);
        if (release.status === 'yanked') return release;
        if (release.status !== 'active') throw illegalReleaseTransition(release.status);
        const yanked = await this.deps.catalogue.changeReleaseStatus(
          pluginId,
          version,
          { status: 'yanked', yankedAt: this.deps.clock.now().toISOString() },
          commit(),
        );
        await refreshListing(pluginId, this.deps);
        return yanked;
      },
    );
  }

  deprecate(pluginId: string, message: string, actor: MarketplaceActor): Promise<CatalogueEntry> {
    return audited(this.deps, this.auditBase('marketplace:deprecate', actor, pluginId), async (commit) => {
      const entry = await this.requireEntry(pluginId);
      this.requireOwnerOrAdmin(entry.publisherId, actor);
      const deprecation = { message, at: this.deps.clock.now().toISOString() };
      await this.deps.catalogue.deprecate(pluginId, deprecation, commit());
      const updated = (await this.deps.catalogue.getEntry(pluginId)) as CatalogueEntry;
      await this.deps.search.upsert(updated);
      return updated;
    });
  }

  async revokeVersion(
    pluginId: string,
    version: string,
    reason: string,
    actor: MarketplaceActor,
  ): Promise<RevocationReport> {
    this.requireAdmin(actor);
    return revokeRelease(pluginId, version, reason, actor, this.deps);
  }

  async blastRadius(pluginId: string, version: string, actor: MarketplaceActor): Promise<BlastRadiusReport> {
    this.requireAdmin(actor);
    return blastRadiusOf(pluginId, version, this.deps);
  }

  async addReview(pluginId: string, input: ReviewInput, actor: MarketplaceActor) {
    const { review, isNew } = await putReview(pluginId, input, actor, this.deps);
    await this.refreshSearch(pluginId);
    return { review: toPublicReview(review), isNew };
  }

  async deleteReview(pluginId: string, actor: MarketplaceActor): Promise<void> {
    await deleteReview(pluginId, actor, this.deps);
    await this.refreshSearch(pluginId);
  }

  /**
   * The rating changed: this instance's next search shows it (others through the change feed).
   * The write is committed, so a failed re-read must not fail it; the feed catches up anyway.
   */
  private async refreshSearch(pluginId: string): Promise<void> {
    await this.deps.search.refresh(pluginId).catch(() => undefined);
  }

  async listReviews(pluginId: string, page: PageRequest) {
    await this.requireEntry(pluginId);
    const reviews = await this.deps.reviews.list(pluginId, page);
    return {
      items: reviews.items.map(toPublicReview),
      ...(reviews.nextCursor ? { nextCursor: reviews.nextCursor } : {}),
    };
  }

  /** The caller's installed marketplace plugins for which a newer offered version exists. */
  async checkUpdates(actor: MarketplaceActor, page: PageRequest): Promise<Page<UpdateAvailable>> {
    const installed = await this.deps.installations.list(actor.tenantId as never, page);
    const items: UpdateAvailable[] = [];
    for (const installation of installed.items) {
      if (installation.source !== 'marketplace') continue;
      const latest = latestOffered(await this.deps.catalogue.listReleases(installation.pluginId));
      if (!latest || !gt(latest.version, installation.version)) continue;
      const held = new Set<string>(installation.metadata.permissions);
      items.push({
        pluginId: installation.pluginId,
        installedVersion: installation.version,
        latestVersion: latest.version,
        publishedAt: latest.publishedAt,
        newPermissions: latest.metadata.permissions.filter((permission) => !held.has(permission)),
      });
    }
    return { items, ...(installed.nextCursor ? { nextCursor: installed.nextCursor } : {}) };
  }

  /** Registers a key whose possession the request proves; the same key again is idempotent. */
  registerPublisherKey(
    request: RegisterPublisherKeyRequest,
    actor: MarketplaceActor,
  ): Promise<{ key: PublisherKey; isNew: boolean }> {
    return registerPublisherKey(request, actor, this.deps);
  }

  /** The owner revokes its key (a platform admin any key); idempotent. */
  revokePublisherKey(keyId: string, actor: MarketplaceActor): Promise<PublisherKey> {
    return revokePublisherKey(keyId, actor, this.deps);
  }

  private async requireEntry(pluginId: string): Promise<CatalogueEntry> {
    const entry = await this.deps.catalogue.getEntry(pluginId);
    if (!entry) throw pluginNotFound();
    return entry;
  }

  private requireOwnerOrAdmin(publisherId: string, actor: MarketplaceActor): void {
    if (isPlatformAdmin(actor)) return;
    if (!actor.scopes.has('marketplace:publish') || publisherId !== publisherIdOf(actor))
      throw notPluginOwner();
  }

  private requireAdmin(actor: MarketplaceActor): void {
    if (!isPlatformAdmin(actor)) throw forbidden('This operation needs the scope marketplace:admin.');
  }

  private auditBase(action: string, actor: MarketplaceActor, pluginId?: string, version?: string) {
    return {
      action,
      actor: actorIdOf(actor),
      tenantId: actor.tenantId,
      requestId: actor.requestId,
      ...(pluginId ? { pluginId } : {}),
      ...(version ? { version } : {}),
    };
  }
}
