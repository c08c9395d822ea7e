import type { CursorCodec } from '../../shared/http/cursor-codec.ts';
import type { RouteHandlersFor } from '../../shared/http/route-record.ts';
import type { MARKETPLACE_REVIEW_ROUTES } from '../../shared/http/routes/marketplace-review-routes.ts';
import type { PluginMarketplaceService } from '../../shared/services/marketplace/plugin-marketplace-service.ts';
import { actorOf } from './marketplace-actor.ts';

/** Reviews and moderation: parsed request → service call → result. */
export function marketplaceReviewRoutes({
  marketplace,
  cursors,
}: {
  readonly marketplace: PluginMarketplaceService;
  readonly cursors: CursorCodec;
}): RouteHandlersFor<typeof MARKETPLACE_REVIEW_ROUTES> {
  return {
    'GET /v1/marketplace/plugins/{id}/reviews': async ({ path, query: { limit, cursor } }, context) => ({
      body: await cursors.page(
        cursor,
        { tenantId: context.caller.tenantId, list: `reviews:${path.id}` },
        (position) => marketplace.listReviews(path.id, { limit, cursor: position }),
      ),
    }),
    'PUT /v1/marketplace/plugins/{id}/reviews/mine': async ({ path, body }, context) => {
      const { review, isNew } = await marketplace.addReview(path.id, body, actorOf(context));
      return { status: isNew ? 201 : 200, body: review };
    },
    'DELETE /v1/marketplace/plugins/{id}/reviews/mine': async ({ path }, context) => {
      await marketplace.deleteReview(path.id, actorOf(context));
      return {};
    },
    'POST /v1/marketplace/plugins/{id}/reviews/{reviewId}/report': async ({ path, body }, context) => {
      const { isNew } = await marketplace.reportReview(path.id, path.reviewId, body, actorOf(context));
      return { status: isNew ? 202 : 200, body: { reviewId: path.reviewId, reason: body.reason, isNew } };
    },
    'PUT /v1/marketplace/plugins/{id}/reviews/{reviewId}/reply': async ({ path, body }, context) => ({
      body: await marketplace.replyToReview(path.id, path.reviewId, body.body, actorOf(context)),
    }),
    'POST /v1/marketplace/plugins/{id}/reviews/{reviewId}/hide': async ({ path, body }, context) => ({
      body: await marketplace.moderateReview(
        path.id,
        path.reviewId,
        { state: 'hidden', reason: body.reason },
        actorOf(context),
      ),
    }),
    'POST /v1/marketplace/plugins/{id}/reviews/{reviewId}/restore': async ({ path, body }, context) => ({
      body: await marketplace.moderateReview(
        path.id,
        path.reviewId,
        { state: 'restored', reason: body.reason },
        actorOf(context),
      ),
    }),
  };
}
