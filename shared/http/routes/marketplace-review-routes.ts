import {
  ModerateReviewRequestSchema,
  PublicReviewSchema,
  ReplyToReviewRequestSchema,
  ReportReviewRequestSchema,
  ReviewIdSchema,
  ReviewInputSchema,
  ReviewModerationViewSchema,
  ReviewReportReceiptSchema,
} from '../../domain/review.ts';
import { PageQuerySchema } from '../pagination.ts';
import { PluginPathSchema } from '../requests/marketplace-requests.ts';
import { pageOf } from '../response-schemas.ts';
import { defineRoute } from '../route-record.ts';

const ReviewPathSchema = PluginPathSchema.extend({ reviewId: ReviewIdSchema });

/**
 * Reviews and their moderation. Reading is open to any authenticated caller; writing a review
 * needs `marketplace:review` and an installer record; every write but an admin's is rate limited
 * per user and per tenant (429, 503 when the counters cannot be reached).
 */
export const MARKETPLACE_REVIEW_ROUTES = [
  defineRoute({
    routeKey: 'GET /v1/marketplace/plugins/{id}/reviews',
    operationId: 'listReviews',
    function: 'marketplace',
    scopes: [],
    summary: "A plugin's reviews (hidden ones are not shown)",
    request: { path: PluginPathSchema, query: PageQuerySchema },
    status: 200,
    response: pageOf(PublicReviewSchema),
  }),
  defineRoute({
    routeKey: 'PUT /v1/marketplace/plugins/{id}/reviews/mine',
    operationId: 'writeReview',
    function: 'marketplace',
    scopes: ['marketplace:review'],
    summary: "Write the caller's review as a verified installer (201 when new, 200 when it replaces)",
    request: { path: PluginPathSchema, body: ReviewInputSchema },
    status: 201,
    alternativeStatus: 200,
    response: PublicReviewSchema,
    problems: [409, 429, 503],
  }),
  defineRoute({
    routeKey: 'DELETE /v1/marketplace/plugins/{id}/reviews/mine',
    operationId: 'deleteReview',
    function: 'marketplace',
    scopes: ['marketplace:review'],
    summary: "Delete the caller's review",
    request: { path: PluginPathSchema },
    status: 204,
    problems: [429, 503],
  }),
  defineRoute({
    routeKey: 'POST /v1/marketplace/plugins/{id}/reviews/{reviewId}/report',
    operationId: 'reportReview',
    function: 'marketplace',
    scopes: [],
    summary: 'Report a review to the moderators, once per user (a repeat answers 200)',
    request: { path: ReviewPathSchema, body: ReportReviewRequestSchema },
    status: 202,
    alternativeStatus: 200,
    response: ReviewReportReceiptSchema,
    problems: [429, 503],
  }),
  defineRoute({
    routeKey: 'PUT /v1/marketplace/plugins/{id}/reviews/{reviewId}/reply',
    operationId: 'replyToReview',
    function: 'marketplace',
    scopes: ['marketplace:publish'],
    summary: "The plugin's publisher answers a review, once",
    request: { path: ReviewPathSchema, body: ReplyToReviewRequestSchema },
    status: 200,
    response: PublicReviewSchema,
    problems: [409, 429, 503],
  }),
  defineRoute({
    routeKey: 'POST /v1/marketplace/plugins/{id}/reviews/{reviewId}/hide',
    operationId: 'hideReview',
    function: 'marketplace',
    scopes: ['marketplace:admin'],
    summary: 'Hide a review from the list and the rating, with a reason (audited)',
    request: { path: ReviewPathSchema, body: ModerateReviewRequestSchema },
    status: 200,
    response: ReviewModerationViewSchema,
  }),
  defineRoute({
    routeKey: 'POST /v1/marketplace/plugins/{id}/reviews/{reviewId}/restore',
    operationId: 'restoreReview',
    function: 'marketplace',
    scopes: ['marketplace:admin'],
    summary: 'Restore a hidden review, with a reason (audited)',
    request: { path: ReviewPathSchema, body: ModerateReviewRequestSchema },
    status: 200,
    response: ReviewModerationViewSchema,
  }),
] as const;
