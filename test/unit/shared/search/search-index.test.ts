import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { type SearchDocument, SearchIndex } from '../../../../shared/search/search-index.ts';
import { parseSearchQuery, tokenize } from '../../../../shared/search/search-query.ts';

const doc = (id: string, overrides: Partial<SearchDocument> = {}): SearchDocument => ({
  id,
  name: id,
  description: '',
  tags: [],
  publisher: 'acme',
  downloads: 0,
  rating: 0,
  updatedAt: '2030-01-01T00:00:00.000Z',
  ...overrides,
});

const query = (
  terms: string[],
  extra: Partial<Parameters<SearchIndex<SearchDocument>['search']>[0]> = {},
) => ({
  terms,
  tags: [],
  sort: 'relevance' as const,
  offset: 0,
  limit: 50,
  ...extra,
});

describe('SearchIndex', () => {
  const index = new SearchIndex([
    doc('lab-viewer', { name: 'Lab Viewer', description: 'Shows lab results', tags: ['labs'], downloads: 5 }),
    doc('notes', { name: 'Notes', description: 'Mentions lab once', downloads: 100 }),
    doc('scheduler', {
      name: 'Scheduler',
      description: 'Books slots',
      tags: ['scheduling'],
      downloads: 50,
      rating: 4.5,
    }),
    doc('reminders', {
      name: 'Reminders',
      publisher: 'Lab Co',
      tags: ['scheduling'],
      downloads: 1,
      updatedAt: '2031-01-01T00:00:00.000Z',
    }),
  ]);

  it('ranks a name match above a description match, whatever the downloads', () => {
    const result = index.search(query(['lab']));

    expect(result.items.map((item) => item.id)).toEqual(['lab-viewer', 'reminders', 'notes']);
  });

  it('matches word prefixes, requires every term, and filters by every tag', () => {
    expect(index.search(query(['sched'])).items.map((item) => item.id)).toEqual(['scheduler', 'reminders']);
    expect(index.search(query(['lab', 'results'])).items.map((item) => item.id)).toEqual(['lab-viewer']);
    expect(index.search(query([], { tags: ['scheduling'] })).total).toBe(2);
    expect(index.search(query(['lab'], { tags: ['scheduling'] })).items.map((item) => item.id)).toEqual([
      'reminders',
    ]);
  });

  it('sorts by downloads, rating, update time and name, and counts tag facets over all matches', () => {
    const ids = (sort: 'downloads' | 'rating' | 'updated' | 'name') =>
      index.search(query([], { sort })).items.map((item) => item.id);

    expect(ids('downloads')).toEqual(['notes', 'scheduler', 'lab-viewer', 'reminders']);
    expect(ids('rating')[0]).toBe('scheduler');
    expect(ids('updated')[0]).toBe('reminders');
    expect(ids('name')).toEqual(['lab-viewer', 'notes', 'reminders', 'scheduler']);
    expect(index.search(query([])).facets.tags).toEqual({ labs: 1, scheduling: 2 });
  });

  it('returns only documents containing every query term (property)', () => {
    const words = fc.constantFrom(
      'lab',
      'labs',
      'scan',
      'care',
      'note',
      'notes',
      'x',
      'heart',
      'β-blocker',
      'ü',
    );
    const documents = fc.array(
      fc.record({ name: fc.array(words, { maxLength: 4 }), description: fc.array(words, { maxLength: 6 }) }),
      { maxLength: 30 },
    );
    fc.assert(
      fc.property(documents, fc.array(words, { maxLength: 3 }), (records, queryWords) => {
        const docs = records.map((record, position) =>
          doc(`d${position}`, { name: record.name.join(' '), description: record.description.join(' ') }),
        );
        const terms = parseSearchQuery(queryWords.join(' '));

        const result = new SearchIndex(docs).search(query(terms, { limit: 100 }));

        expect(result.total).toBe(result.items.length);
        for (const item of result.items) {
          const vocabulary = tokenize(`${item.name} ${item.description} ${item.publisher}`);
          for (const term of terms) expect(vocabulary.some((word) => word.startsWith(term))).toBe(true);
        }
      }),
    );
  });
});
