import type { CatalogueEntry } from '../../shared/domain/marketplace.ts';
import { EMPTY_RATING, ratingFrom } from '../../shared/domain/release-listing.ts';

/** A listed catalogue entry for search tests; `stars` gives it one review of that many stars. */
export function catalogueEntry(
  pluginId: string,
  overrides: Partial<CatalogueEntry> & { stars?: 1 | 2 | 3 | 4 | 5 } = {},
): CatalogueEntry {
  const { stars, ...rest } = overrides;
  const histogram = { 1: 0, 2: 0, 3: 0, 4: 0, 5: 0 };
  if (stars) histogram[stars] = 1;
  return {
    pluginId: pluginId as CatalogueEntry['pluginId'],
    publisherId: 'pub',
    name: pluginId,
    description: '',
    author: 'Acme',
    tags: [],
    latestVersion: '1.0.0',
    createdAt: '2030-01-01T00:00:00.000Z',
    updatedAt: '2030-01-01T00:00:00.000Z',
    downloads: 0,
    rating: stars ? ratingFrom(1, stars, histogram) : EMPTY_RATING,
    publisherVerified: false,
    securityStatus: 'clean',
    ...rest,
  };
}
