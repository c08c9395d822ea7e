import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { CatalogueIndex, queryTerms } from '../../../../shared/search/catalogue-index.ts';
import {
  MAX_QUERY_TERMS,
  MAX_TERM_LENGTH,
  SearchParametersSchema,
} from '../../../../shared/search/search-query.ts';
import { catalogueEntry } from '../../../support/catalogue-entry-factory.ts';

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
  it('turns any text into a bounded number of bounded, non-empty terms, without throwing', () => {
    fc.assert(
      fc.property(fc.oneof(hostile, fc.string({ unit: 'binary', maxLength: 300 })), (text) => {
        const terms = queryTerms(text);

        expect(terms.length).toBeLessThanOrEqual(MAX_QUERY_TERMS);
        for (const term of terms) {
          expect(term.length).toBeGreaterThan(0);
          expect(term.length).toBeLessThanOrEqual(MAX_TERM_LENGTH);
          expect(term).not.toMatch(/\s/u);
        }
      }),
    );
  });

  it('answers any text with a page of the catalogue, never an exception', () => {
    const index = CatalogueIndex.build([
      catalogueEntry('lab-viewer', { name: 'Lab Viewer', description: 'café résumé (a+)+$' }),
      catalogueEntry('notes', { name: 'Notes' }),
    ]);
    fc.assert(
      fc.property(hostile, (text) => {
        const result = index.query({ text, tags: [], sort: 'relevance', offset: 0, limit: 10 });

        expect(result.items.length).toBeLessThanOrEqual(result.total);
        expect(result.total).toBeLessThanOrEqual(2);
      }),
      { numRuns: 200 },
    );
  });

  it('finds the same terms whatever the case, accents and punctuation around them', () => {
    expect(queryTerms('  Lab-RESULTS (café)!! lab  ')).toEqual(['lab', 'results', 'cafe', 'lab']);
  });

  it('parses any query string map into valid parameters or a validation failure, never an exception', () => {
    fc.assert(
      fc.property(
        fc.dictionary(
          fc.constantFrom('query', 'tags', 'verified', 'sort', 'limit', 'cursor', 'other'),
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
