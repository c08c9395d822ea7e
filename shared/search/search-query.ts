import { z } from 'zod';

/** Hard caps that keep a hostile query's cost bounded whatever its length or content. */
export const MAX_QUERY_LENGTH = 512;
export const MAX_QUERY_TERMS = 12;
export const MAX_TERM_LENGTH = 40;
export const MAX_TAG_FILTERS = 10;

export const SEARCH_SORTS = ['relevance', 'downloads', 'rating', 'updated', 'name'] as const;
export type SearchSort = (typeof SEARCH_SORTS)[number];

const TAG = /^[a-z0-9][a-z0-9-]{0,31}$/;

/** The query string of `GET /v1/marketplace/plugins`, as the one boundary schema for search. */
export const SearchParametersSchema = z.object({
  query: z.string().max(MAX_QUERY_LENGTH).default(''),
  tags: z
    .string()
    .max(MAX_TAG_FILTERS * 33)
    .optional()
    .transform((value) =>
      (value ?? '')
        .split(',')
        .map((tag) => tag.trim().toLowerCase())
        .filter((tag) => tag.length > 0),
    )
    .pipe(z.array(z.string().regex(TAG, 'each tag is a lowercase slug')).max(MAX_TAG_FILTERS)),
  /** Only plugins whose publisher is (or is not) verified; absent: both. */
  verified: z
    .enum(['true', 'false'])
    .transform((value) => value === 'true')
    .optional(),
  sort: z.enum(SEARCH_SORTS).default('relevance'),
  limit: z.coerce.number().int().min(1).max(100).default(20),
  /** Opaque; judged by the cursor codec, so every bad cursor is INVALID_CURSOR. */
  cursor: z.string().optional(),
});
export type SearchParameters = z.infer<typeof SearchParametersSchema>;
