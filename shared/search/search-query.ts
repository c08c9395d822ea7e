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
  sort: z.enum(SEARCH_SORTS).default('relevance'),
  limit: z.coerce.number().int().min(1).max(100).default(20),
  /** Opaque; judged by the cursor codec, so every bad cursor is INVALID_CURSOR. */
  cursor: z.string().optional(),
});
export type SearchParameters = z.infer<typeof SearchParametersSchema>;

/**
 * Splits free text into search terms: Unicode letters and digits only, lower-cased and stripped of
 * accents. Everything else (regex metacharacters, quotes, operators) is a separator, so no user
 * text ever reaches a regular expression or a query language.
 */
export function tokenize(text: string, maxTerms = Number.POSITIVE_INFINITY): string[] {
  const terms: string[] = [];
  const seen = new Set<string>();
  // Catalogue text is mostly ASCII: skip Unicode normalisation there (it dominates index build time).
  const normalized = ASCII.test(text)
    ? text.toLowerCase()
    : text
        .normalize('NFKD')
        .replace(/\p{M}+/gu, '')
        .toLowerCase();
  for (const raw of normalized.split(ASCII.test(normalized) ? ASCII_SEPARATORS : SEPARATORS)) {
    if (raw.length === 0) continue;
    const term = raw.slice(0, MAX_TERM_LENGTH);
    if (seen.has(term)) continue;
    seen.add(term);
    terms.push(term);
    if (terms.length >= maxTerms) break;
  }
  return terms;
}

// biome-ignore lint/suspicious/noControlCharactersInRegex: the whole ASCII range is the point
const ASCII = /^[\u0000-\u007f]*$/;
const ASCII_SEPARATORS = /[^a-z0-9]+/;
const SEPARATORS = /[^\p{L}\p{N}]+/u;

/** The terms a user query searches for (bounded in number and length). */
export const parseSearchQuery = (query: string): string[] =>
  tokenize(query.slice(0, MAX_QUERY_LENGTH), MAX_QUERY_TERMS);
