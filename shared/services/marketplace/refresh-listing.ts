import { listingFrom } from '../../domain/release-listing.ts';
import type { MarketplaceDependencies } from './marketplace-dependencies.ts';

/** Recomputes a plugin's listing from its releases (after publish, yank, revoke) and reindexes it. */
export async function refreshListing(
  pluginId: string,
  deps: Pick<MarketplaceDependencies, 'catalogue' | 'search'>,
): Promise<void> {
  const listing = listingFrom(await deps.catalogue.listReleases(pluginId));
  if (!listing) return;
  await deps.catalogue.saveListing(pluginId, listing);
  const entry = await deps.catalogue.getEntry(pluginId);
  if (entry) await deps.search.upsert(entry);
}
