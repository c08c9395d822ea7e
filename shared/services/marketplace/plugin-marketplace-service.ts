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
  PublisherVerificationView,
  RevocationReport,
  UpdateAvailable,
} from '../../domain/marketplace-views.ts';
import type { VerifyPublisherRequest } from '../../domain/publisher-verification.ts';
import { isPrerelease, latestOffered, newestFirst } from '../../domain/release-listing.ts';
import {
  type ReportReviewRequest,
  type ReviewInput,
  type ReviewModerationView,
  toPublicReview,
} from '../../domain/review.ts';
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
import { moderateReview, replyToReview, reportReview } from './moderate-reviews.ts';
import { toPluginPage, toPluginSummary, toVersionSummary } from './plugin-views.ts';
import { publishRelease } from './publish-release.ts';
import { refreshListing } from './refresh-listing.ts';
import { registerPublisherKey } from './register-publisher-key.ts';
import { revokePublisherKey } from './revoke-publisher-key.ts';
import { revokeRelease } from './revoke-release.ts';
import { revokePublisherVerification, verifyPublisher } from './verify-publisher.ts';

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

  reportReview(pluginId: string, reviewId: string, request: ReportReviewRequest, actor: MarketplaceActor) {
    return reportReview(pluginId, reviewId, request, actor, this.deps);
  }

  async replyToReview(pluginId: string, reviewId: string, body: string, actor: MarketplaceActor) {
    return toPublicReview(await replyToReview(pluginId, reviewId, body, actor, this.deps));
  }

  /** A platform admin hides a review (out of the list and the aggregates) or restores it. */
  moderateReview(
    pluginId: string,
    reviewId: string,
    change: { state: 'hidden' | 'restored'; reason: string },
    actor: MarketplaceActor,
  ): Promise<ReviewModerationView> {
    return moderateReview(pluginId, reviewId, change, actor, this.deps);
  }

  async listReviews(pluginId: string, page: PageRequest) {
    await this.requireEntry(pluginId);
    const reviews = await this.deps.reviews.list(pluginId, page);
    return {
      items: reviews.items.map(toPublicReview),
      ...(reviews.nextCursor ? { nextCursor: reviews.nextCursor } : {}),
    };
  }

  /**
   * The caller's installed marketplace plugins for which a newer offered version exists, or whose
   * installed version has advisory findings.
   */
  async checkUpdates(actor: MarketplaceActor, page: PageRequest): Promise<Page<UpdateAvailable>> {
    const installed = await this.deps.installations.list(actor.tenantId as never, page);
    const items: UpdateAvailable[] = [];
    for (const installation of installed.items) {
      if (installation.source !== 'marketplace') continue;
      const releases = await this.deps.catalogue.listReleases(installation.pluginId);
      const latest = latestOffered(releases);
      const installedRelease = releases.find((release) => release.version === installation.version);
      const installedSecurity = installedRelease?.security;
      const isNewer = latest !== undefined && gt(latest.version, installation.version);
      const isAffected = installedSecurity?.status === 'advisory';
      if (!isNewer && !isAffected) continue;
      const shown = isNewer ? latest : undefined;
      const held = new Set<string>(installation.metadata.permissions);
      items.push({
        pluginId: installation.pluginId,
        installedVersion: installation.version,
        latestVersion: shown?.version ?? installation.version,
        publishedAt: shown?.publishedAt ?? installedRelease?.publishedAt ?? installation.installedAt,
        newPermissions: (shown?.metadata.permissions ?? []).filter((permission) => !held.has(permission)),
        ...(shown?.releaseNotes === undefined ? {} : { releaseNotes: shown.releaseNotes }),
        ...(shown?.security?.status === 'advisory'
          ? { latestVersionSecurity: { status: shown.security.status, findings: shown.security.findings } }
          : {}),
        ...(isAffected && installedSecurity
          ? {
              installedVersionSecurity: {
                status: installedSecurity.status,
                findings: installedSecurity.findings,
              },
            }
          : {}),
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

  /** A platform admin verifies a publisher once the platform checked its domain proof. */
  verifyPublisher(
    publisherId: string,
    request: VerifyPublisherRequest,
    actor: MarketplaceActor,
  ): Promise<PublisherVerificationView> {
    return verifyPublisher(publisherId, request, actor, this.deps);
  }

  revokePublisherVerification(
    publisherId: string,
    reason: string | undefined,
    actor: MarketplaceActor,
  ): Promise<PublisherVerificationView> {
    return revokePublisherVerification(publisherId, reason, actor, this.deps);
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
