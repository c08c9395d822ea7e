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

/** One review per reviewer (tenant + user) per plugin; `revision` guards edits and deletes. */
export const ReviewSchema = z.object({
  pluginId: PluginIdSchema,
  reviewerId: z.string().min(1).max(512),
  tenantId: z.string(),
  stars: StarsSchema,
  title: z.string(),
  body: z.string(),
  createdAt: z.iso.datetime(),
  updatedAt: z.iso.datetime(),
  revision: z.number().int().nonnegative(),
});
export type Review = z.infer<typeof ReviewSchema>;

/** What the API shows: the user id stays private, the reviewing organisation is shown. */
export const PublicReviewSchema = ReviewSchema.omit({ reviewerId: true, revision: true });
export type PublicReview = z.infer<typeof PublicReviewSchema>;

export const toPublicReview = (review: Review): PublicReview => ({
  pluginId: review.pluginId,
  tenantId: review.tenantId,
  stars: review.stars,
  title: review.title,
  body: review.body,
  createdAt: review.createdAt,
  updatedAt: review.updatedAt,
});

export const reviewerIdOf = (tenantId: string, userId: string): string => `${tenantId}#${userId}`;
