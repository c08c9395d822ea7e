import { hasErrorCode } from '../../domain/errors/domain-error.ts';
import { pluginNotFound, reviewNotFound } from '../../domain/errors/marketplace-errors.ts';
import { type Review, type ReviewInput, reviewerIdOf } from '../../domain/review.ts';
import type { MarketplaceActor, MarketplaceDependencies } from './marketplace-dependencies.ts';

/** Optimistic retries: a lost race re-reads the reviewer's review and applies the change again. */
const MAX_ATTEMPTS = 8;

async function withRetries<T>(attempt: () => Promise<T>): Promise<T> {
  for (let tries = 1; ; tries++) {
    try {
      return await attempt();
    } catch (error) {
      const isRace = hasErrorCode(error, 'CONCURRENT_MODIFICATION');
      if (!isRace || tries >= MAX_ATTEMPTS) throw error;
    }
  }
}

/** One review per reviewer per plugin: a second submission replaces the first. */
export async function putReview(
  pluginId: string,
  input: ReviewInput,
  actor: MarketplaceActor,
  deps: Pick<MarketplaceDependencies, 'catalogue' | 'reviews' | 'clock'>,
): Promise<{ review: Review; isNew: boolean }> {
  if (!(await deps.catalogue.getEntry(pluginId))) throw pluginNotFound();
  const reviewerId = reviewerIdOf(actor.tenantId, actor.userId);
  return withRetries(async () => {
    const previous = await deps.reviews.get(pluginId, reviewerId);
    const now = deps.clock.now().toISOString();
    const review: Review = {
      pluginId: pluginId as Review['pluginId'],
      reviewerId,
      tenantId: actor.tenantId,
      stars: input.stars,
      title: input.title,
      body: input.body,
      createdAt: previous?.createdAt ?? now,
      updatedAt: now,
      revision: (previous?.revision ?? 0) + 1,
    };
    await deps.reviews.put(review, previous);
    return { review, isNew: previous === undefined };
  });
}

export async function deleteReview(
  pluginId: string,
  actor: MarketplaceActor,
  deps: Pick<MarketplaceDependencies, 'reviews'>,
): Promise<void> {
  const reviewerId = reviewerIdOf(actor.tenantId, actor.userId);
  await withRetries(async () => {
    const previous = await deps.reviews.get(pluginId, reviewerId);
    if (!previous) throw reviewNotFound();
    await deps.reviews.delete(previous);
  });
}
