import type { Review } from '../domain/review.ts';
import type { Page, PageRequest } from './page.ts';

/**
 * Reviews and the plugin's rating aggregates (count, sum, per-star histogram) change together in
 * one transaction, so the aggregates always equal what the stored reviews say.
 */
export interface ReviewRepository {
  get(pluginId: string, reviewerId: string): Promise<Review | undefined>;
  /**
   * Writes `review` in place of `previous` (undefined: the reviewer has none). Fails with
   * `CONCURRENT_MODIFICATION` when the stored review is no longer `previous`, and with
   * `PLUGIN_NOT_FOUND` when the plugin is not in the catalogue.
   */
  put(review: Review, previous: Review | undefined): Promise<void>;
  /** Deletes `previous` if still current (`CONCURRENT_MODIFICATION` otherwise). */
  delete(previous: Review): Promise<void>;
  list(pluginId: string, page: PageRequest): Promise<Page<Review>>;
}
