import { z } from 'zod';
import { PluginIdSchema } from './identifiers.ts';
import { PlainTextSchema } from './plain-text.ts';

export const MAX_REVIEW_TITLE = 120;
export const MAX_REVIEW_BODY = 4000;

export const StarsSchema = z.number().int().min(1).max(5);

export const ReviewInputSchema = z
  .object({
    stars: StarsSchema,
    title: PlainTextSchema(MAX_REVIEW_TITLE).pipe(z.string().min(1)),
    body: PlainTextSchema(MAX_REVIEW_BODY).default(''),
  })
  .strict();
export type ReviewInput = z.infer<typeof ReviewInputSchema>;

/**
 * A review's public id: random, given at its first write and kept through edits, so others can
 * address it (report, reply, moderate) without learning who wrote it.
 */
export const ReviewIdSchema = z.string().regex(/^[A-Za-z0-9-]{8,64}$/, 'must be a review id');
export type ReviewId = z.infer<typeof ReviewIdSchema>;

export const MAX_REVIEW_REPLY = 2000;
export const MAX_MODERATION_TEXT = 500;

/** The publisher's one answer to a review. */
export const ReviewReplySchema = z.object({ body: z.string(), repliedAt: z.iso.datetime() });

/** The last moderation decision: a hidden review leaves the public list and the aggregates. */
export const ReviewModerationSchema = z.object({
  state: z.enum(['hidden', 'restored']),
  reason: z.string().max(MAX_MODERATION_TEXT),
  at: z.iso.datetime(),
});

/** One review per reviewer (tenant + user) per plugin; `revision` guards every change of it. */
export const ReviewSchema = z.object({
  pluginId: PluginIdSchema,
  reviewId: ReviewIdSchema,
  reviewerId: z.string().min(1).max(512),
  tenantId: z.string(),
  stars: StarsSchema,
  title: z.string(),
  body: z.string(),
  /** The version the reviewing tenant had installed when it wrote (or last edited) the review. */
  version: z.string(),
  /** Only installers may review; kept on the review so the page can say so. */
  verifiedInstaller: z.boolean(),
  reply: ReviewReplySchema.optional(),
  reportCount: z.number().int().nonnegative(),
  moderation: ReviewModerationSchema.optional(),
  createdAt: z.iso.datetime(),
  updatedAt: z.iso.datetime(),
  revision: z.number().int().nonnegative(),
});
export type Review = z.infer<typeof ReviewSchema>;

/** Whether a review counts: shown in the list and summed into the rating aggregates. */
export const isVisible = (review: Review): boolean => review.moderation?.state !== 'hidden';

/**
 * What the API shows: the user id stays private (the reviewing organisation is shown), and so do
 * reports and moderation (a hidden review is not shown at all).
 */
export const PublicReviewSchema = ReviewSchema.omit({
  reviewerId: true,
  revision: true,
  reportCount: true,
  moderation: true,
});
export type PublicReview = z.infer<typeof PublicReviewSchema>;

export const toPublicReview = (review: Review): PublicReview => ({
  pluginId: review.pluginId,
  reviewId: review.reviewId,
  tenantId: review.tenantId,
  stars: review.stars,
  title: review.title,
  body: review.body,
  version: review.version,
  verifiedInstaller: review.verifiedInstaller,
  ...(review.reply ? { reply: review.reply } : {}),
  createdAt: review.createdAt,
  updatedAt: review.updatedAt,
});

export const reviewerIdOf = (tenantId: string, userId: string): string => `${tenantId}#${userId}`;

export const REVIEW_REPORT_REASONS = [
  'spam',
  'offensive',
  'off-topic',
  'conflict-of-interest',
  'other',
] as const;

export const ReportReviewRequestSchema = z
  .object({
    reason: z.enum(REVIEW_REPORT_REASONS),
    note: PlainTextSchema(MAX_MODERATION_TEXT).optional(),
  })
  .strict();
export type ReportReviewRequest = z.infer<typeof ReportReviewRequestSchema>;

/** One report per reporter (tenant + user) per review: a repeat changes nothing. */
export const ReviewReportSchema = ReportReviewRequestSchema.extend({
  pluginId: PluginIdSchema,
  reviewId: ReviewIdSchema,
  reporterId: z.string().min(1).max(512),
  reportedAt: z.iso.datetime(),
});
export type ReviewReport = z.infer<typeof ReviewReportSchema>;

export const ReplyToReviewRequestSchema = z
  .object({ body: PlainTextSchema(MAX_REVIEW_REPLY).pipe(z.string().min(1)) })
  .strict();

/** Hiding or restoring a review needs a reason: it is audited, and kept on the review. */
export const ModerateReviewRequestSchema = z
  .object({ reason: PlainTextSchema(MAX_MODERATION_TEXT).pipe(z.string().min(1)) })
  .strict();

/** What a report answers: the report counted, or the caller's earlier report of it. */
export const ReviewReportReceiptSchema = z.object({
  reviewId: ReviewIdSchema,
  reason: z.enum(REVIEW_REPORT_REASONS),
  isNew: z.boolean(),
});

/** What hiding or restoring answers: the review's moderation state now. */
export const ReviewModerationViewSchema = ReviewModerationSchema.extend({ reviewId: ReviewIdSchema });
export type ReviewModerationView = z.infer<typeof ReviewModerationViewSchema>;
