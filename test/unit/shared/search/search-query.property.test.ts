import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  MAX_QUERY_TERMS,
  MAX_TERM_LENGTH,
  parseSearchQuery,
  SearchParametersSchema,
} from '../../../../shared/search/search-query.ts';

const hostile = fc.oneof(
  fc.string({ maxLength: 2000 }),
  fc.string({ unit: 'grapheme', maxLength: 300 }),
  fc.constantFrom(
    '(a+)+$',
    '.*.*.*=.*',
    '[\\',
    '\\u0000',
    '$' + '{constructor}',
    '%00',
    'a'.repeat(10_000),
    '((((((((((x',
  ),
);

describe('search query parser (property)', () => {
  it('turns any text into at most a bounded number of plain letter-or-digit terms, without throwing', () => {
    fc.assert(
      fc.property(hostile, (text) => {
        const terms = parseSearchQuery(text);

        expect(terms.length).toBeLessThanOrEqual(MAX_QUERY_TERMS);
        expect(new Set(terms).size).toBe(terms.length);
        for (const term of terms) {
          expect(term).toMatch(/^[\p{L}\p{N}]+$/u);
          expect(term.length).toBeLessThanOrEqual(MAX_TERM_LENGTH);
        }
      }),
    );
  });

  it('finds the same terms whatever the case, accents and punctuation around them', () => {
    expect(parseSearchQuery('  Lab-RESULTS (café)!! lab  ')).toEqual(['lab', 'results', 'cafe']);
  });

  it('parses any query string map into valid parameters or a validation failure, never an exception', () => {
    fc.assert(
      fc.property(
        fc.dictionary(
          fc.constantFrom('query', 'tags', 'sort', 'limit', 'cursor', 'other'),
          fc.string({ maxLength: 600 }),
        ),
        (query) => {
          const result = SearchParametersSchema.safeParse(query);

          if (result.success) {
            expect(result.data.limit).toBeGreaterThanOrEqual(1);
            expect(result.data.tags.length).toBeLessThanOrEqual(10);
          } else {
            expect(result.error.issues.length).toBeGreaterThan(0);
          }
        },
      ),
    );
  });
});
