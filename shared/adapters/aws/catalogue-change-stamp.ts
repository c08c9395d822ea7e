import { GSI2 } from './table-definitions.ts';

/** The one partition of the change feed index (GSI2): entries sort there by their last change. */
export const CATALOGUE_CHANGES_PARTITION = 'CATALOGUE_CHANGES';

/** Epoch milliseconds, zero-padded so the feed's string sort key sorts by time. */
export const changeSortKey = (at: Date, pluginId: string): string =>
  `${String(at.getTime()).padStart(15, '0')}#${pluginId}`;

/**
 * Every write that changes what search shows about an entry (listing, counters, rating, verified
 * publisher, security status) adds this to its `SET`, so other instances' indexes pick the change
 * up from the feed. Placeholders are `:changedAt`, `:changeFeed`, `:changeKey`.
 */
export function entryChangeStamp(pluginId: string, at: Date) {
  return {
    set: `changedAt = :changedAt, ${GSI2.partitionKey} = :changeFeed, ${GSI2.sortKey} = :changeKey`,
    values: {
      ':changedAt': at.getTime(),
      ':changeFeed': CATALOGUE_CHANGES_PARTITION,
      ':changeKey': changeSortKey(at, pluginId),
    },
  };
}
