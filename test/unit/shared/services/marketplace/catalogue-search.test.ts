import { describe, expect, it } from 'vitest';
import type { CatalogueEntry } from '../../../../../shared/domain/marketplace.ts';
import type {
  CatalogueSnapshot,
  CatalogueSnapshots,
} from '../../../../../shared/ports/catalogue-snapshots.ts';
import {
  CatalogueSearch,
  FEED_OVERLAP_MS,
} from '../../../../../shared/services/marketplace/catalogue-search.ts';
import { catalogueEntry } from '../../../../support/catalogue-entry-factory.ts';

class MemorySnapshots implements CatalogueSnapshots {
  stored: CatalogueSnapshot | undefined;
  async read() {
    return this.stored;
  }
  async write(snapshot: CatalogueSnapshot) {
    this.stored = snapshot;
  }
}

const all = { query: '', tags: [], sort: 'name' as const, limit: 10 };
const byDownloads = { ...all, sort: 'downloads' as const };

/** A table with a change feed, as the adapter's GSI2 answers it (by the writer's clock). */
function fakeCatalogue(entries: CatalogueEntry[]) {
  const table = new Map(entries.map((entry) => [entry.pluginId as string, entry]));
  const changedAt = new Map<string, number>();
  const feedReads: Date[] = [];
  return {
    feedReads,
    failFeed: false,
    write(entry: CatalogueEntry, at: Date) {
      table.set(entry.pluginId, entry);
      changedAt.set(entry.pluginId, at.getTime());
    },
    listEntries: async () => [...table.values()],
    getEntry: async (pluginId: string) => table.get(pluginId),
    async listEntriesChangedSince(since: Date) {
      feedReads.push(since);
      if (this.failFeed)
        throw Object.assign(new Error('throttled'), { name: 'ProvisionedThroughputExceededException' });
      return [...table.values()].filter((entry) => (changedAt.get(entry.pluginId) ?? 0) > since.getTime());
    },
  };
}

function controllableClock(start: string) {
  let now = new Date(start);
  return {
    now: () => now,
    advance(ms: number) {
      now = new Date(now.getTime() + ms);
    },
  };
}

const pluginIds = (page: { items: CatalogueEntry[] }) => page.items.map((item) => item.pluginId);

describe('CatalogueSearch', () => {
  it('builds a cold index from the snapshot without reading the table', async () => {
    const snapshots = new MemorySnapshots();
    snapshots.stored = { entries: [catalogueEntry('from-snapshot')], takenAt: '2030-01-01T00:00:00.000Z' };
    const catalogue = fakeCatalogue([catalogueEntry('from-table')]);
    const clock = controllableClock('2030-01-01T00:00:10.000Z');

    const search = new CatalogueSearch({ catalogue, clock, maxAgeMs: 60_000, snapshots });
    const page = await search.search(all);

    expect(pluginIds(page)).toEqual(['from-snapshot']);
    expect(catalogue.feedReads).toEqual([new Date(Date.parse('2030-01-01T00:00:00.000Z') - FEED_OVERLAP_MS)]);
  });

  it('loads the serialized index from the snapshot the first instance wrote', async () => {
    const snapshots = new MemorySnapshots();
    const catalogue = fakeCatalogue([
      catalogueEntry('appointment-reminder', { name: 'Appointment Reminder' }),
    ]);
    const clock = controllableClock('2030-01-01T00:00:00.000Z');
    await new CatalogueSearch({ catalogue, clock, maxAgeMs: 60_000, snapshots }).warm();

    const cold = new CatalogueSearch({ catalogue: fakeCatalogue([]), clock, maxAgeMs: 60_000, snapshots });
    const page = await cold.search({ ...all, query: 'apointment' });

    expect(snapshots.stored?.index).toBeDefined();
    expect(pluginIds(page)).toEqual(['appointment-reminder']);
  });

  it('falls back to the table without a snapshot, writes one, and rebuilds from the table once stale', async () => {
    const snapshots = new MemorySnapshots();
    const catalogue = fakeCatalogue([catalogueEntry('first')]);
    const clock = controllableClock('2030-01-01T00:00:00.000Z');
    const search = new CatalogueSearch({ catalogue, clock, maxAgeMs: 60_000, snapshots });

    await search.search(all);
    // Written straight to the table, never stamped: only the full rebuild can see it.
    catalogue.write(catalogueEntry('second'), new Date(0));
    clock.advance(120_000);
    await search.search(all);
    await search.warm();

    expect(snapshots.stored?.entries.map((item) => item.pluginId)).toEqual(['first', 'second']);
    expect((await search.search(all)).total).toBe(2);
  });

  it('applies a change from the feed once the sync interval has passed, not before', async () => {
    const catalogue = fakeCatalogue([
      catalogueEntry('alpha', { downloads: 5 }),
      catalogueEntry('beta', { downloads: 1 }),
    ]);
    const clock = controllableClock('2030-01-01T00:00:00.000Z');
    const search = new CatalogueSearch({ catalogue, clock, maxAgeMs: 600_000, syncIntervalMs: 1000 });
    await search.search(byDownloads);

    catalogue.write(catalogueEntry('beta', { downloads: 9 }), clock.now());
    clock.advance(500);
    const beforeInterval = await search.search(byDownloads);
    clock.advance(500);
    const afterInterval = await search.search(byDownloads);

    expect(pluginIds(beforeInterval)).toEqual(['alpha', 'beta']);
    expect(pluginIds(afterInterval)).toEqual(['beta', 'alpha']);
  });

  it('reads the feed from before its last read, for writers whose clocks run behind', async () => {
    const catalogue = fakeCatalogue([catalogueEntry('alpha', { downloads: 5 }), catalogueEntry('beta')]);
    const clock = controllableClock('2030-01-01T00:00:00.000Z');
    const search = new CatalogueSearch({ catalogue, clock, maxAgeMs: 600_000 });
    await search.search(byDownloads);
    clock.advance(1000);
    await search.search(byDownloads);

    // Another instance's clock is two seconds behind: its stamp is before this instance's last read.
    catalogue.write(catalogueEntry('beta', { downloads: 9 }), new Date(clock.now().getTime() - 2000));
    clock.advance(1000);
    const page = await search.search(byDownloads);

    expect(pluginIds(page)).toEqual(['beta', 'alpha']);
  });

  it('keeps serving the previous index when the feed read fails, and retries after the interval', async () => {
    const errors: string[] = [];
    const catalogue = fakeCatalogue([catalogueEntry('alpha', { downloads: 5 }), catalogueEntry('beta')]);
    const clock = controllableClock('2030-01-01T00:00:00.000Z');
    const search = new CatalogueSearch({
      catalogue,
      clock,
      maxAgeMs: 600_000,
      onRefreshError: (error) => errors.push((error as Error).name),
    });
    await search.search(byDownloads);

    catalogue.write(catalogueEntry('beta', { downloads: 9 }), clock.now());
    catalogue.failFeed = true;
    clock.advance(1000);
    const duringOutage = await search.search(byDownloads);
    catalogue.failFeed = false;
    clock.advance(1000);
    const afterOutage = await search.search(byDownloads);

    expect(pluginIds(duringOutage)).toEqual(['alpha', 'beta']);
    expect(errors).toEqual(['ProvisionedThroughputExceededException']);
    expect(pluginIds(afterOutage)).toEqual(['beta', 'alpha']);
  });

  it('shows its own change at once, and a feed read that started before it does not undo it', async () => {
    const catalogue = fakeCatalogue([catalogueEntry('alpha', { downloads: 5 }), catalogueEntry('beta')]);
    const clock = controllableClock('2030-01-01T00:00:00.000Z');
    const search = new CatalogueSearch({ catalogue, clock, maxAgeMs: 600_000 });
    await search.search(byDownloads);
    const staleBeta = catalogueEntry('beta', { downloads: 0 });
    let releaseFeed = () => {};
    catalogue.listEntriesChangedSince = () =>
      new Promise((resolve) => {
        releaseFeed = () => resolve([staleBeta]);
      });

    clock.advance(1000);
    const searching = search.search(byDownloads);
    catalogue.write(catalogueEntry('beta', { downloads: 9 }), clock.now());
    await search.refresh('beta');
    releaseFeed();
    await searching;

    expect(pluginIds(await search.search(byDownloads))).toEqual(['beta', 'alpha']);
  });

  it('refuses a cursor issued for another query', async () => {
    const catalogue = fakeCatalogue([catalogueEntry('a-one'), catalogueEntry('b-two')]);
    const search = new CatalogueSearch({
      catalogue,
      clock: controllableClock('2030-01-01T00:00:00.000Z'),
      maxAgeMs: 60_000,
    });
    const first = await search.search({ ...all, limit: 1 });

    await expect(search.search({ ...all, query: 'other', cursor: first.nextCursor })).rejects.toMatchObject({
      code: 'INVALID_CURSOR',
    });
    await expect(search.search({ ...all, verified: true, cursor: first.nextCursor })).rejects.toMatchObject({
      code: 'INVALID_CURSOR',
    });
    expect(pluginIds(await search.search({ ...all, limit: 1, cursor: first.nextCursor }))).toEqual(['b-two']);
  });
});
