import { forbidden } from '../../domain/errors/auth-errors.ts';
import {
  notPluginOwner,
  pluginNotFound,
  reviewAlreadyReplied,
  reviewIdNotFound,
} from '../../domain/errors/marketplace-errors.ts';
import {
  type ReportReviewRequest,
  type Review,
  type ReviewModerationView,
  type ReviewReport,
  reviewerIdOf,
} from '../../domain/review.ts';
import { appendToOutbox, audited } from '../audit/audit-trail.ts';
import { admitReviewWrite } from './admit-review-write.ts';
import { isPlatformAdmin, type MarketplaceActor, publisherIdOf } from './marketplace-dependencies.ts';
import { type ReviewDependencies, reviewAuditBase } from './review-dependencies.ts';
import { withReviewRetries } from './review-retries.ts';

/** A review is addressed by its plugin and its id together: an id of another plugin's review is not found. */
async function requireReview(pluginId: string, reviewId: string, deps: ReviewDependencies): Promise<Review> {
  const review = await deps.reviews.getById(pluginId, reviewId);
  if (!review) throw reviewIdNotFound();
  return review;
}

/**
 * Any authenticated user may report a review, once: a repeat answers the earlier report and changes
 * nothing. The report count on the review rises with the report in one transaction. The reason (an
 * enum) is audited; the optional note is the reporter's text and stays on the report item only.
 */
export function reportReview(
  pluginId: string,
  reviewId: string,
  request: ReportReviewRequest,
  actor: MarketplaceActor,
  deps: ReviewDependencies,
): Promise<{ isNew: boolean }> {
  const record = {
    ...reviewAuditBase('marketplace:review-report', actor, pluginId, reviewId),
    reason: request.reason,
  };
  return audited(deps, record, async (commit) => {
    await admitReviewWrite(actor, deps);
    const reporterId = reviewerIdOf(actor.tenantId, actor.userId);
    return withReviewRetries(async () => {
      const review = await requireReview(pluginId, reviewId, deps);
      if (await deps.reviews.hasReported(pluginId, reviewId, reporterId)) return { isNew: false };
      const report: ReviewReport = {
        pluginId: review.pluginId,
        reviewId,
        reporterId,
        reason: request.reason,
        ...(request.note ? { note: request.note } : {}),
        reportedAt: deps.clock.now().toISOString(),
      };
      const reported = { ...review, reportCount: review.reportCount + 1, revision: review.revision + 1 };
      const entries = commit();
      const isNew = await deps.reviews.addReport(report, reported, review, entries);
      // A concurrent identical report won the race: its record is this request's success record.
      if (!isNew) await appendToOutbox(deps, entries);
      return { isNew };
    });
  });
}

/** The plugin's publisher answers a review, once (REVIEW_ALREADY_REPLIED after that). */
export function replyToReview(
  pluginId: string,
  reviewId: string,
  body: string,
  actor: MarketplaceActor,
  deps: ReviewDependencies,
): Promise<Review> {
  return audited(
    deps,
    reviewAuditBase('marketplace:review-reply', actor, pluginId, reviewId),
    async (commit) => {
      const entry = await deps.catalogue.getEntry(pluginId);
      if (!entry) throw pluginNotFound();
      if (!actor.scopes.has('marketplace:publish') || entry.publisherId !== publisherIdOf(actor)) {
        throw notPluginOwner();
      }
      await admitReviewWrite(actor, deps);
      return withReviewRetries(async () => {
        const review = await requireReview(pluginId, reviewId, deps);
        if (review.reply) throw reviewAlreadyReplied();
        const replied: Review = {
          ...review,
          reply: { body, repliedAt: deps.clock.now().toISOString() },
          revision: review.revision + 1,
        };
        await deps.reviews.put(replied, review, commit());
        return replied;
      });
    },
  );
}

/**
 * A platform admin hides a review (it leaves the public list and the aggregates) or restores it,
 * with a reason. The reason is kept on the review and in the audit record's `reason` (plain text
 * of at most 500 characters, as a revocation's reason is). Moving to the state it is in already
 * changes nothing and is still audited.
 */
export function moderateReview(
  pluginId: string,
  reviewId: string,
  change: { state: 'hidden' | 'restored'; reason: string },
  actor: MarketplaceActor,
  deps: ReviewDependencies,
): Promise<ReviewModerationView> {
  const action = change.state === 'hidden' ? 'marketplace:review-hide' : 'marketplace:review-restore';
  const record = { ...reviewAuditBase(action, actor, pluginId, reviewId), reason: change.reason };
  return audited(deps, record, async (commit) => {
    if (!isPlatformAdmin(actor)) throw forbidden('This operation needs the scope marketplace:admin.');
    const view = await withReviewRetries(async () => {
      const review = await requireReview(pluginId, reviewId, deps);
      const isHidden = review.moderation?.state === 'hidden';
      if (isHidden === (change.state === 'hidden') && review.moderation) {
        return { reviewId, ...review.moderation };
      }
      if (!isHidden && change.state === 'restored') {
        // Never hidden: nothing to restore, nothing changes.
        return { reviewId, state: 'restored' as const, reason: change.reason, at: review.updatedAt };
      }
      const moderation = { state: change.state, reason: change.reason, at: deps.clock.now().toISOString() };
      await deps.reviews.put({ ...review, moderation, revision: review.revision + 1 }, review, commit());
      return { reviewId, ...moderation };
    });
    await deps.search.refresh(pluginId);
    return view;
  });
}
