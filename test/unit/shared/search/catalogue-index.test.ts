import { describe, expect, it } from 'vitest';
import { CatalogueIndex, type CatalogueQuery } from '../../../../shared/search/catalogue-index.ts';
import { catalogueEntry } from '../../../support/catalogue-entry-factory.ts';

const query = (text: string, extra: Partial<CatalogueQuery> = {}): CatalogueQuery => ({
  text,
  tags: [],
  sort: 'relevance',
  offset: 0,
  limit: 50,
  ...extra,
});

const catalogue = () =>
  CatalogueIndex.build([
    catalogueEntry('lab-viewer', {
      name: 'Lab Viewer',
      description: 'Shows lab results',
      tags: ['labs'],
      downloads: 5,
      stars: 3,
    }),
    catalogueEntry('notes', { name: 'Notes', description: 'Mentions lab once', downloads: 100 }),
    catalogueEntry('appointment-reminder', {
      name: 'Appointment Reminder',
      description: 'Texts patients before their visit',
      tags: ['scheduling'],
      downloads: 50,
      stars: 5,
      publisherVerified: true,
    }),
    catalogueEntry('slot-finder', {
      name: 'Slot Finder',
      author: 'Lab Co',
      tags: ['scheduling'],
      downloads: 1,
      updatedAt: '2031-01-01T00:00:00.000Z',
      securityStatus: 'advisory',
    }),
    catalogueEntry('unlisted', { name: 'Lab Unlisted', latestVersion: undefined }),
  ]);

const ids = (index: CatalogueIndex, text: string, extra: Partial<CatalogueQuery> = {}) =>
  index.query(query(text, extra)).items.map((entry) => entry.pluginId);

describe('CatalogueIndex', () => {
  it('finds a plugin despite a typo in the query', () => {
    expect(ids(catalogue(), 'apointment')).toEqual(['appointment-reminder']);
    expect(ids(catalogue(), 'apointment remindr')).toEqual(['appointment-reminder']);
  });

  it('matches word prefixes and requires every word', () => {
    expect(ids(catalogue(), 'remind')).toEqual(['appointment-reminder']);
    expect(ids(catalogue(), 'lab results')).toEqual(['lab-viewer']);
  });

  it('ranks a name match above a publisher match above a description match, whatever the downloads', () => {
    expect(ids(catalogue(), 'lab')).toEqual(['lab-viewer', 'slot-finder', 'notes']);
  });

  it('never shows an entry without a version to offer', () => {
    expect(ids(catalogue(), 'unlisted')).toEqual([]);
  });

  it('filters by every tag and by the publisher being verified', () => {
    const index = catalogue();

    expect(ids(index, '', { tags: ['scheduling'], sort: 'name' })).toEqual([
      'appointment-reminder',
      'slot-finder',
    ]);
    expect(ids(index, '', { tags: ['scheduling'], verified: true })).toEqual(['appointment-reminder']);
    expect(ids(index, '', { tags: ['scheduling'], verified: false })).toEqual(['slot-finder']);
    expect(ids(index, 'lab', { tags: ['scheduling'] })).toEqual(['slot-finder']);
    expect(ids(index, '', { tags: ['scheduling', 'labs'] })).toEqual([]);
  });

  it('counts facets over every match, not just the page', () => {
    const result = catalogue().query(query('', { limit: 1 }));

    expect(result.items).toHaveLength(1);
    expect(result.total).toBe(4);
    expect(result.facets).toEqual({
      tags: { labs: 1, scheduling: 2 },
      verified: { true: 1, false: 3 },
      securityStatus: { clean: 3, advisory: 1 },
    });
  });

  it('counts a tag named like an Object member from zero', () => {
    const index = CatalogueIndex.build([catalogueEntry('odd', { tags: ['constructor', 'tostring'] })]);

    expect(index.query(query('')).facets.tags).toEqual({ constructor: 1, tostring: 1 });
  });

  it('sorts by downloads, rating, update time and name, and browses by downloads without a query', () => {
    const index = catalogue();

    expect(ids(index, '', { sort: 'downloads' })).toEqual([
      'notes',
      'appointment-reminder',
      'lab-viewer',
      'slot-finder',
    ]);
    expect(ids(index, '')).toEqual(ids(index, '', { sort: 'downloads' }));
    expect(ids(index, '', { sort: 'rating' }).slice(0, 2)).toEqual(['appointment-reminder', 'lab-viewer']);
    expect(ids(index, '', { sort: 'updated' })[0]).toBe('slot-finder');
    expect(ids(index, '', { sort: 'name' })).toEqual([
      'appointment-reminder',
      'lab-viewer',
      'notes',
      'slot-finder',
    ]);
    expect(ids(index, 'lab', { sort: 'downloads' })).toEqual(['notes', 'lab-viewer', 'slot-finder']);
  });

  it('pages through the same order without overlap', () => {
    const index = catalogue();

    const pages = [0, 2].map((offset) => ids(index, '', { sort: 'name', offset, limit: 2 }));

    expect(pages.flat()).toEqual(ids(index, '', { sort: 'name' }));
  });

  it('applies a changed, new or unlisted entry in place', () => {
    const index = catalogue();

    index.apply(
      catalogueEntry('notes', { name: 'Notes', downloads: 1000, description: 'now about imaging' }),
    );
    index.apply(catalogueEntry('new-one', { name: 'Lab Newcomer' }));
    index.apply(catalogueEntry('lab-viewer', { name: 'Lab Viewer', latestVersion: undefined }));

    expect(ids(index, 'imaging')).toEqual(['notes']);
    expect(ids(index, 'lab')).toEqual(['new-one', 'slot-finder']);
    expect(ids(index, '', { sort: 'downloads' })[0]).toBe('notes');
  });

  it('answers a repeated query with current counters, and with current text after a text change', () => {
    const index = catalogue();
    expect(ids(index, 'lab', { sort: 'downloads' })).toEqual(['notes', 'lab-viewer', 'slot-finder']);

    index.apply(catalogueEntry('slot-finder', { name: 'Slot Finder', author: 'Lab Co', downloads: 500 }));
    const afterCount = ids(index, 'lab', { sort: 'downloads' });
    index.apply(catalogueEntry('notes', { name: 'Notes', description: 'about imaging', downloads: 100 }));
    const afterText = ids(index, 'lab', { sort: 'downloads' });

    expect(afterCount).toEqual(['slot-finder', 'notes', 'lab-viewer']);
    expect(afterText).toEqual(['slot-finder', 'lab-viewer']);
  });

  it('gives the same answers without its text match cache', () => {
    const entries = catalogue().listed();
    const uncached = CatalogueIndex.build(entries, { cacheTextMatches: false });

    for (const text of ['lab', 'apointment', 'remind', '']) {
      expect(ids(uncached, text)).toEqual(ids(catalogue(), text));
    }
  });

  it('restores from its serialized index, and indexes the entries when that index does not fit them', () => {
    const built = catalogue();
    const entries = built.listed();

    const restored = CatalogueIndex.restore(entries, JSON.parse(JSON.stringify(built.serialize())));
    const mismatched = CatalogueIndex.restore(
      [...entries, catalogueEntry('extra', { name: 'Lab Extra' })],
      built.serialize(),
    );
    const garbage = CatalogueIndex.restore(entries, { not: 'an index' });

    expect(ids(restored, 'apointment')).toEqual(['appointment-reminder']);
    expect(ids(mismatched, 'lab')).toContain('extra');
    expect(ids(garbage, 'lab')).toEqual(ids(built, 'lab'));
  });
});
