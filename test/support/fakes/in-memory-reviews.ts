import { concurrentModification } from '../../../shared/domain/errors/lifecycle-errors.ts';
import { pluginNotFound } from '../../../shared/domain/errors/marketplace-errors.ts';
import { isVisible, type Review, type ReviewReport } from '../../../shared/domain/review.ts';
import type { OutboxEntries } from '../../../shared/ports/outbox.ts';
import type { Page, PageRequest } from '../../../shared/ports/page.ts';
import type { ReviewRepository } from '../../../shared/ports/review-repository.ts';
import type { InMemoryCatalogue } from './in-memory-catalogue.ts';

const race = () => concurrentModification('review');

/** The review repository in memory, with the adapter's conditions; `failWrites` makes writes reject. */
export class InMemoryReviews implements ReviewRepository {
  readonly reviews = new Map<string, Review>();
  readonly reports = new Map<string, ReviewReport>();
  private readonly catalogue: InMemoryCatalogue;

  constructor(catalogue: InMemoryCatalogue) {
    this.catalogue = catalogue;
  }

  async get(pluginId: string, reviewerId: string) {
    return this.reviews.get(`${pluginId}|${reviewerId}`);
  }

  async getById(pluginId: string, reviewId: string) {
    return [...this.reviews.values()].find(
      (review) => review.pluginId === pluginId && review.reviewId === reviewId,
    );
  }

  async hasReported(pluginId: string, reviewId: string, reporterId: string) {
    return this.reports.has(`${pluginId}|${reviewId}|${reporterId}`);
  }

  async put(review: Review, previous: Review | undefined, outbox: OutboxEntries = []) {
    if (!this.catalogue.entries.has(review.pluginId)) throw pluginNotFound();
    const key = `${review.pluginId}|${review.reviewerId}`;
    if (this.reviews.get(key)?.revision !== previous?.revision) throw race();
    this.reviews.set(key, review);
    this.catalogue.adjustRating(review.pluginId, previous, review);
    this.catalogue.outbox.commit(outbox);
  }

  async delete(previous: Review, outbox: OutboxEntries = []) {
    const key = `${previous.pluginId}|${previous.reviewerId}`;
    if (this.reviews.get(key)?.revision !== previous.revision) throw race();
    this.reviews.delete(key);
    this.catalogue.adjustRating(previous.pluginId, previous, undefined);
    this.catalogue.outbox.commit(outbox);
  }

  async addReport(report: ReviewReport, review: Review, previous: Review, outbox: OutboxEntries = []) {
    const reportKey = `${report.pluginId}|${report.reviewId}|${report.reporterId}`;
    const key = `${review.pluginId}|${review.reviewerId}`;
    if (this.reviews.get(key)?.revision !== previous.revision) throw race();
    if (this.reports.has(reportKey)) return false;
    this.reports.set(reportKey, report);
    this.reviews.set(key, review);
    this.catalogue.outbox.commit(outbox);
    return true;
  }

  async list(pluginId: string, page: PageRequest): Promise<Page<Review>> {
    const all = [...this.reviews.values()]
      .filter((review) => review.pluginId === pluginId && isVisible(review))
      .sort((a, b) => a.reviewerId.localeCompare(b.reviewerId));
    const start = page.cursor ? Number(page.cursor) : 0;
    const items = all.slice(start, start + page.limit);
    const next = start + items.length;
    return { items, ...(next < all.length ? { nextCursor: String(next) } : {}) };
  }
}
