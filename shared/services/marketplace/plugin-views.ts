import type { CatalogueEntry, PublisherProfile, ReleaseRecord } from '../../domain/marketplace.ts';
import type { PluginPage, PluginSummary, VersionSummary } from '../../domain/marketplace-views.ts';
import { toPublicVerification } from '../../domain/publisher-verification.ts';
import { isPrerelease, latestOffered, newestFirst } from '../../domain/release-listing.ts';

/** A search hit: what a results list shows. */
export const toPluginSummary = (entry: CatalogueEntry): PluginSummary => ({
  pluginId: entry.pluginId,
  name: entry.name,
  description: entry.description,
  author: entry.author,
  tags: entry.tags,
  publisherId: entry.publisherId,
  latestVersion: entry.latestVersion,
  downloads: entry.downloads,
  rating: { average: entry.rating.average, count: entry.rating.count },
  updatedAt: entry.updatedAt,
  ...(entry.deprecated ? { deprecated: entry.deprecated } : {}),
  publisherVerified: entry.publisherVerified,
  securityStatus: entry.securityStatus,
});

export const toVersionSummary = (
  release: ReleaseRecord,
  latestVersion: string | undefined,
): VersionSummary => ({
  version: release.version,
  status: release.status,
  isPrerelease: isPrerelease(release.version),
  isLatest: release.version === latestVersion,
  publishedAt: release.publishedAt,
  sha256: release.sha256,
  sizeBytes: release.sizeBytes,
  permissions: release.metadata.permissions,
  ...(release.revokedReason ? { revokedReason: release.revokedReason } : {}),
  ...(release.releaseNotes === undefined ? {} : { releaseNotes: release.releaseNotes }),
  ...(release.security
    ? { security: { status: release.security.status, findings: release.security.findings } }
    : {}),
});

/** The plugin page: manifest of the latest offered version, versions, permissions, counters, publisher. */
export function toPluginPage(
  entry: CatalogueEntry,
  releases: readonly ReleaseRecord[],
  publisher: PublisherProfile | undefined,
): PluginPage {
  const latest = latestOffered(releases);
  const shown = latest ?? newestFirst(releases)[0];
  return {
    ...toPluginSummary(entry),
    manifest: shown ? { id: shown.pluginId, version: shown.version, metadata: shown.metadata } : undefined,
    ...(shown?.releaseNotes === undefined ? {} : { releaseNotes: shown.releaseNotes }),
    permissions: shown?.metadata.permissions ?? [],
    versions: newestFirst(releases)
      .filter((release) => !isPrerelease(release.version))
      .map((release) => toVersionSummary(release, latest?.version)),
    rating: entry.rating,
    publisher: {
      publisherId: entry.publisherId,
      displayName: publisher?.displayName ?? entry.author,
      isVerified: publisher?.isVerified ?? false,
      ...(publisher?.isVerified && publisher.verification
        ? { verification: toPublicVerification(publisher.verification) }
        : {}),
    },
    lastUpdatedAt: entry.updatedAt,
  };
}
