import type { CatalogueEntry } from '../domain/marketplace.ts';
import type { SearchSort } from './search-query.ts';

/** Code-unit order: a locale collator costs ~10x more and the order only has to be stable. */
const compareText = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);

const byName = (a: CatalogueEntry, b: CatalogueEntry) =>
  compareText(a.name.toLowerCase(), b.name.toLowerCase()) || compareText(a.pluginId, b.pluginId);

const FIXED: Record<Exclude<SearchSort, 'relevance'>, (a: CatalogueEntry, b: CatalogueEntry) => number> = {
  downloads: (a, b) => b.downloads - a.downloads || byName(a, b),
  rating: (a, b) => b.rating.average - a.rating.average || byName(a, b),
  updated: (a, b) => compareText(b.updatedAt, a.updatedAt) || byName(a, b),
  name: byName,
};

/**
 * The order of one sort: relevance is the engine's score, ties going to the more installed plugin;
 * every order ends on the plugin id, so pages never overlap or skip.
 */
export function compareEntries(
  sort: SearchSort,
  scores: ReadonlyMap<string, number>,
): (a: CatalogueEntry, b: CatalogueEntry) => number {
  if (sort !== 'relevance') return FIXED[sort];
  return (a, b) => (scores.get(b.pluginId) ?? 0) - (scores.get(a.pluginId) ?? 0) || FIXED.downloads(a, b);
}
