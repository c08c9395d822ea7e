import { prerelease, rcompare } from 'semver';
import type { CatalogueListing, RatingSummary, ReleaseRecord } from './marketplace.ts';

export const isPrerelease = (version: string): boolean => prerelease(version) !== null;

export const newestFirst = <T extends { version: string }>(releases: readonly T[]): T[] =>
  [...releases].sort((a, b) => rcompare(a.version, b.version));

/**
 * The version offered to new installs: the highest active release, and a prerelease only when the
 * caller asks for prereleases. Yanked and revoked versions are never offered.
 */
export function latestOffered<T extends ReleaseRecord>(
  releases: readonly T[],
  options: { includePrerelease?: boolean } = {},
): T | undefined {
  return newestFirst(releases).find(
    (release) => release.status === 'active' && (options.includePrerelease || !isPrerelease(release.version)),
  );
}

/** The listing shows the latest offered release; without one it keeps the newest release's text. */
export function listingFrom(releases: readonly ReleaseRecord[]): CatalogueListing | undefined {
  const newest = newestFirst(releases);
  const shown = latestOffered(releases) ?? newest[0];
  if (!shown) return undefined;
  const updatedAt =
    releases
      .map((release) => release.publishedAt)
      .sort()
      .at(-1) ?? shown.publishedAt;
  return {
    name: shown.metadata.name,
    description: shown.metadata.description,
    author: shown.metadata.author,
    tags: shown.metadata.tags,
    latestVersion: latestOffered(releases)?.version,
    updatedAt,
  };
}

export const EMPTY_RATING: RatingSummary = {
  count: 0,
  sum: 0,
  average: 0,
  histogram: { 1: 0, 2: 0, 3: 0, 4: 0, 5: 0 },
};

/** Average to two decimals from the exact count and sum (the stored aggregates). */
export function ratingFrom(count: number, sum: number, histogram: RatingSummary['histogram']): RatingSummary {
  return { count, sum, average: count === 0 ? 0 : Math.round((sum / count) * 100) / 100, histogram };
}
