import {
  pluginNotFound,
  reviewerNotInstaller,
  reviewNotFound,
} from '../../domain/errors/marketplace-errors.ts';
import { type Review, type ReviewInput, reviewerIdOf } from '../../domain/review.ts';
import { audited } from '../audit/audit-trail.ts';
import { admitReviewWrite } from './admit-review-write.ts';
import type { MarketplaceActor } from './marketplace-dependencies.ts';
import { type ReviewDependencies, reviewAuditBase } from './review-dependencies.ts';
import { withReviewRetries } from './review-retries.ts';

/**
 * The version a verified installer writes against: the one its tenant runs now, or, after an
 * uninstall, the last one it installed. A tenant that never installed the plugin from the
 * marketplace has no installer record and may not review it.
 */
async function reviewedVersion(
  pluginId: string,
  tenantId: string,
  deps: ReviewDependencies,
): Promise<string> {
  const installer = await deps.catalogue.getInstaller(pluginId, tenantId);
  if (!installer) throw reviewerNotInstaller();
  const installed = await deps.installations.get(tenantId as never, pluginId as never);
  return installed?.source === 'marketplace' ? installed.version : installer.lastVersion;
}

/**
 * One review per reviewer per plugin: a second submission replaces the first, keeping its public
 * id, the publisher's reply and any moderation (an edit does not bring a hidden review back).
 */
export function putReview(
  pluginId: string,
  input: ReviewInput,
  actor: MarketplaceActor,
  deps: ReviewDependencies,
): Promise<{ review: Review; isNew: boolean }> {
  return audited(deps, reviewAuditBase('marketplace:review-put', actor, pluginId), async (commit) => {
    await admitReviewWrite(actor, deps);
    if (!(await deps.catalogue.getEntry(pluginId))) throw pluginNotFound();
    const version = await reviewedVersion(pluginId, actor.tenantId, deps);
    const reviewerId = reviewerIdOf(actor.tenantId, actor.userId);
    const result = await withReviewRetries(async () => {
      const previous = await deps.reviews.get(pluginId, reviewerId);
      const now = deps.clock.now().toISOString();
      const review: Review = {
        pluginId: pluginId as Review['pluginId'],
        reviewId: previous?.reviewId ?? deps.ids.next(),
        reviewerId,
        tenantId: actor.tenantId,
        stars: input.stars,
        title: input.title,
        body: input.body,
        version,
        verifiedInstaller: true,
        ...(previous?.reply ? { reply: previous.reply } : {}),
        reportCount: previous?.reportCount ?? 0,
        ...(previous?.moderation ? { moderation: previous.moderation } : {}),
        createdAt: previous?.createdAt ?? now,
        updatedAt: now,
        revision: (previous?.revision ?? 0) + 1,
      };
      await deps.reviews.put(review, previous, commit({ reviewId: review.reviewId, version }));
      return { review, isNew: previous === undefined };
    });
    await deps.search.refresh(pluginId);
    return result;
  });
}

export function deleteReview(
  pluginId: string,
  actor: MarketplaceActor,
  deps: ReviewDependencies,
): Promise<void> {
  return audited(deps, reviewAuditBase('marketplace:review-delete', actor, pluginId), async (commit) => {
    await admitReviewWrite(actor, deps);
    const reviewerId = reviewerIdOf(actor.tenantId, actor.userId);
    await withReviewRetries(async () => {
      const previous = await deps.reviews.get(pluginId, reviewerId);
      if (!previous) throw reviewNotFound();
      await deps.reviews.delete(previous, commit({ reviewId: previous.reviewId }));
    });
    await deps.search.refresh(pluginId);
  });
}
