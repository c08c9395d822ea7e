import { listingFrom } from '../../domain/release-listing.ts';
import type { OutboxEntries } from '../../ports/outbox.ts';
import type { MarketplaceDependencies } from './marketplace-dependencies.ts';

/**
 * Recomputes a plugin's listing from its releases (after publish, yank, revoke) and reindexes it.
 * `outbox` is written with the listing: a publish's record commits with the write that lists it.
 * The publisher profile's verification is copied with it, so a first publish lists the publisher
 * as it stands (and any write a verification's index read missed is corrected by the next one).
 * Answers whether it wrote (a plugin without releases has no listing).
 */
export async function refreshListing(
  pluginId: string,
  deps: Pick<MarketplaceDependencies, 'catalogue' | 'search'>,
  outbox: OutboxEntries = [],
): Promise<boolean> {
  const releases = await deps.catalogue.listReleases(pluginId);
  const listing = listingFrom(releases);
  if (!listing) return false;
  // Every release of a plugin is its one owner's (the first publisher claims the id).
  const publisherId = releases[0]?.publisherId;
  const publisher = publisherId ? await deps.catalogue.getPublisher(publisherId) : undefined;
  await deps.catalogue.saveListing(
    pluginId,
    { ...listing, publisherVerified: publisher?.isVerified ?? false },
    outbox,
  );
  const entry = await deps.catalogue.getEntry(pluginId);
  if (entry) await deps.search.upsert(entry);
  return true;
}
