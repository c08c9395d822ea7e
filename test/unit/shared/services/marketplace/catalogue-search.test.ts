import { describe, expect, it } from 'vitest';
import type { CatalogueEntry } from '../../../../../shared/domain/marketplace.ts';
import { EMPTY_RATING } from '../../../../../shared/domain/release-listing.ts';
import type { CatalogueSnapshots } from '../../../../../shared/ports/catalogue-snapshots.ts';
import { CatalogueSearch } from '../../../../../shared/services/marketplace/catalogue-search.ts';

const entry = (pluginId: string, name: string): CatalogueEntry => ({
  pluginId: pluginId as CatalogueEntry['pluginId'],
  publisherId: 'pub',
  name,
  description: 'd',
  author: 'a',
  tags: [],
  latestVersion: '1.0.0',
  createdAt: '2030-01-01T00:00:00.000Z',
  updatedAt: '2030-01-01T00:00:00.000Z',
  downloads: 0,
  rating: EMPTY_RATING,
  publisherVerified: false,
  securityStatus: 'clean',
});

class MemorySnapshots implements CatalogueSnapshots {
  stored: { entries: CatalogueEntry[]; takenAt: string } | undefined;
  async read() {
    return this.stored;
  }
  async write(entries: readonly CatalogueEntry[], takenAt: string) {
    this.stored = { entries: [...entries], takenAt };
  }
}

const all = { query: '', tags: [], sort: 'name' as const, limit: 10 };

describe('CatalogueSearch', () => {
  it('builds a cold index from the snapshot without reading the table', async () => {
    const snapshots = new MemorySnapshots();
    snapshots.stored = { entries: [entry('from-snapshot', 'Snap')], takenAt: '2030-01-01T00:00:00.000Z' };
    let tableReads = 0;
    const catalogue = {
      listEntries: async () => {
        tableReads++;
        return [entry('from-table', 'Table')];
      },
      getEntry: async () => undefined,
    };
    const now = new Date('2030-01-01T00:00:10.000Z');

    const search = new CatalogueSearch({ catalogue, clock: { now: () => now }, maxAgeMs: 60_000, snapshots });
    const page = await search.search(all);

    expect(page.items.map((item) => item.pluginId)).toEqual(['from-snapshot']);
    expect(tableReads).toBe(0);
  });

  it('falls back to the table without a snapshot, writes one, and refreshes from the table once stale', async () => {
    const snapshots = new MemorySnapshots();
    let table = [entry('first', 'First')];
    let now = new Date('2030-01-01T00:00:00.000Z');
    const search = new CatalogueSearch({
      catalogue: { listEntries: async () => table, getEntry: async () => undefined },
      clock: { now: () => now },
      maxAgeMs: 60_000,
      snapshots,
    });

    await search.search(all);
    table = [entry('first', 'First'), entry('second', 'Second')];
    now = new Date('2030-01-01T00:02:00.000Z');
    await search.search(all);
    await search.warm();

    expect(snapshots.stored?.entries.map((item) => item.pluginId)).toEqual(['first', 'second']);
    expect((await search.search(all)).total).toBe(2);
  });

  it('refuses a cursor issued for another query', async () => {
    const search = new CatalogueSearch({
      catalogue: {
        listEntries: async () => [entry('a-one', 'A'), entry('b-two', 'B')],
        getEntry: async () => undefined,
      },
      clock: { now: () => new Date() },
      maxAgeMs: 60_000,
    });
    const first = await search.search({ ...all, limit: 1 });

    await expect(search.search({ ...all, query: 'other', cursor: first.nextCursor })).rejects.toMatchObject({
      code: 'INVALID_CURSOR',
    });
  });
});
