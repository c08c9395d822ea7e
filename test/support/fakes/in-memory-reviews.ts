import { concurrentModification } from '../../../shared/domain/errors/lifecycle-errors.ts';
import { pluginNotFound } from '../../../shared/domain/errors/marketplace-errors.ts';
import type { Review } from '../../../shared/domain/review.ts';
import type { Page, PageRequest } from '../../../shared/ports/page.ts';
import type { ReviewRepository } from '../../../shared/ports/review-repository.ts';
import type { InMemoryCatalogue } from './in-memory-catalogue.ts';

const race = () => concurrentModification('review');

export class InMemoryReviews implements ReviewRepository {
  readonly reviews = new Map<string, Review>();
  private readonly catalogue: InMemoryCatalogue;

  constructor(catalogue: InMemoryCatalogue) {
    this.catalogue = catalogue;
  }

  async get(pluginId: string, reviewerId: string) {
    return this.reviews.get(`${pluginId}|${reviewerId}`);
  }

  async put(review: Review, previous: Review | undefined) {
    if (!this.catalogue.entries.has(review.pluginId)) throw pluginNotFound();
    const key = `${review.pluginId}|${review.reviewerId}`;
    if (this.reviews.get(key)?.revision !== previous?.revision) throw race();
    this.reviews.set(key, review);
    this.catalogue.adjustRating(review.pluginId, previous, review);
  }

  async delete(previous: Review) {
    const key = `${previous.pluginId}|${previous.reviewerId}`;
    if (this.reviews.get(key)?.revision !== previous.revision) throw race();
    this.reviews.delete(key);
    this.catalogue.adjustRating(previous.pluginId, previous, undefined);
  }

  async list(pluginId: string, page: PageRequest): Promise<Page<Review>> {
    const all = [...this.reviews.values()]
      .filter((review) => review.pluginId === pluginId)
      .sort((a, b) => a.reviewerId.localeCompare(b.reviewerId));
    const start = page.cursor ? Number(page.cursor) : 0;
    const items = all.slice(start, start + page.limit);
    const next = start + items.length;
    return { items, ...(next < all.length ? { nextCursor: String(next) } : {}) };
  }
}
