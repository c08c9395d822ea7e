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
  query: z
    .string()
    .max(MAX_QUERY_LENGTH)
    .default('')
    .describe('Free text over name, description and tags (typo-tolerant); empty lists every plugin'),
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
    .pipe(z.array(z.string().regex(TAG, 'each tag is a lowercase slug')).max(MAX_TAG_FILTERS))
    .describe('Comma-separated tags; a plugin must carry every one'),
  /** Only plugins whose publisher is (or is not) verified; absent: both. */
  verified: z
    .enum(['true', 'false'])
    .transform((value) => value === 'true')
    .optional()
    .describe('Only plugins whose publisher is (`true`) or is not (`false`) verified; absent: both'),
  sort: z.enum(SEARCH_SORTS).default('relevance').describe('Order of the results'),
  limit: z.coerce.number().int().min(1).max(100).default(20).describe('Results per page'),
  /** Opaque; judged by the cursor codec, so every bad cursor is INVALID_CURSOR. */
  cursor: z.string().optional().describe("The previous page's `nextCursor`, valid only with the same query"),
});
export type SearchParameters = z.infer<typeof SearchParametersSchema>;
