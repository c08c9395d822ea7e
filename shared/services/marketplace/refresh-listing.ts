import { listingFrom } from '../../domain/release-listing.ts';
import type { OutboxEntries } from '../../ports/outbox.ts';
import type { MarketplaceDependencies } from './marketplace-dependencies.ts';

/**
 * Recomputes a plugin's listing from its releases (after publish, yank, revoke) and reindexes it.
 * `outbox` is written with the listing: a publish's record commits with the write that lists it.
 * Answers whether it wrote (a plugin without releases has no listing).
 */
export async function refreshListing(
  pluginId: string,
  deps: Pick<MarketplaceDependencies, 'catalogue' | 'search'>,
  outbox: OutboxEntries = [],
): Promise<boolean> {
  const listing = listingFrom(await deps.catalogue.listReleases(pluginId));
  if (!listing) return false;
  await deps.catalogue.saveListing(pluginId, listing, outbox);
  const entry = await deps.catalogue.getEntry(pluginId);
  if (entry) await deps.search.upsert(entry);
  return true;
}
