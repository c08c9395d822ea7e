import type { CatalogueEntry } from '../domain/marketplace.ts';
import type { SearchSort } from './search-query.ts';

/** One match as sorted: the entry, its name's sort key (lowered once, not per comparison), its score. */
export interface RankedEntry {
  readonly entry: CatalogueEntry;
  readonly nameKey: string;
  readonly score: number;
}

/** Code-unit order: a locale collator costs ~10x more and the order only has to be stable. */
const compareText = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);

const byName = (a: RankedEntry, b: RankedEntry) =>
  compareText(a.nameKey, b.nameKey) || compareText(a.entry.pluginId, b.entry.pluginId);

type Compare = (a: RankedEntry, b: RankedEntry) => number;

const FIXED: Record<Exclude<SearchSort, 'relevance'>, Compare> = {
  downloads: (a, b) => b.entry.downloads - a.entry.downloads || byName(a, b),
  rating: (a, b) => b.entry.rating.average - a.entry.rating.average || byName(a, b),
  updated: (a, b) => compareText(b.entry.updatedAt, a.entry.updatedAt) || byName(a, b),
  name: byName,
};

/**
 * The order of one sort: relevance is the engine's score, ties going to the more installed plugin;
 * every order ends on the plugin id, so pages never overlap or skip.
 */
export function compareRanked(sort: SearchSort): Compare {
  if (sort !== 'relevance') return FIXED[sort];
  return (a, b) => b.score - a.score || FIXED.downloads(a, b);
}
