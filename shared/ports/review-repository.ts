import type { Review, ReviewReport } from '../domain/review.ts';
import type { OutboxEntries } from './outbox.ts';
import type { Page, PageRequest } from './page.ts';

/**
 * Reviews and the plugin's rating aggregates (count, sum, per-star histogram) change together in
 * one transaction, so the aggregates always equal what the visible stored reviews say. Each write
 * moves the aggregates from what `previous` counted to what the new state counts (a hidden review
 * counts nothing), and commits `outbox` (its audit record) with it.
 */
export interface ReviewRepository {
  get(pluginId: string, reviewerId: string): Promise<Review | undefined>;
  /** The review with this public id, of this plugin only. */
  getById(pluginId: string, reviewId: string): Promise<Review | undefined>;
  /**
   * Writes `review` in place of `previous` (undefined: the reviewer has none). Fails with
   * `CONCURRENT_MODIFICATION` when the stored review is no longer `previous`, and with
   * `PLUGIN_NOT_FOUND` when the plugin is not in the catalogue.
   */
  put(review: Review, previous: Review | undefined, outbox: OutboxEntries): Promise<void>;
  /** Deletes `previous` if still current (`CONCURRENT_MODIFICATION` otherwise). */
  delete(previous: Review, outbox: OutboxEntries): Promise<void>;
  /**
   * Stores `report` and `review` (its report count raised) in place of `previous`, unless this
   * reporter reported the review before: then nothing is written and the answer is false.
   */
  addReport(report: ReviewReport, review: Review, previous: Review, outbox: OutboxEntries): Promise<boolean>;
  /** Whether this reporter has reported the review. */
  hasReported(pluginId: string, reviewId: string, reporterId: string): Promise<boolean>;
  /** The visible reviews only. */
  list(pluginId: string, page: PageRequest): Promise<Page<Review>>;
}
