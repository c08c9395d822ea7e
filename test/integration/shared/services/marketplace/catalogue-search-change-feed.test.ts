import { beforeAll, describe, expect, it } from 'vitest';
import { DynamoDbMarketplaceCatalogue } from '../../../../../shared/adapters/aws/dynamodb-marketplace-catalogue.ts';
import { PluginMetadataSchema } from '../../../../../shared/domain/manifest.ts';
import type { ReleaseRecord } from '../../../../../shared/domain/marketplace.ts';
import { CatalogueSearch } from '../../../../../shared/services/marketplace/catalogue-search.ts';
import { createTestTables } from '../../../../support/dynamodb-tables.ts';

function controllableClock(start: string) {
  let now = new Date(start);
  return {
    now: () => now,
    advance(ms: number) {
      now = new Date(now.getTime() + ms);
    },
  };
}

const release = (pluginId: string, publishedAt: string): ReleaseRecord => ({
  pluginId: pluginId as ReleaseRecord['pluginId'],
  version: '1.0.0',
  sha256: 'a'.repeat(64),
  sizeBytes: 10,
  publisherId: 'pub-acme',
  publisherKeyId: 'pk_1',
  metadata: PluginMetadataSchema.parse({ name: pluginId, description: 'd', author: 'Acme', tags: ['labs'] }),
  status: 'active',
  publishedAt,
});

const byDownloads = { query: '', tags: [], sort: 'downloads' as const, limit: 10 };
const pluginIds = (page: { items: { pluginId: string }[] }) => page.items.map((item) => item.pluginId);

describe('CatalogueSearch across instances, through the change feed (DynamoDB Local)', () => {
  const clock = controllableClock('2030-01-01T00:00:00.000Z');
  let catalogue: DynamoDbMarketplaceCatalogue;

  const list = async (pluginId: string, description = 'd') => {
    await catalogue.createRelease(release(pluginId, clock.now().toISOString()));
    await catalogue.saveListing(
      pluginId,
      {
        name: pluginId,
        description,
        author: 'Acme',
        tags: ['labs'],
        latestVersion: '1.0.0',
        updatedAt: clock.now().toISOString(),
      },
      [],
    );
  };

  beforeAll(async () => {
    const { names, documentClient } = await createTestTables();
    catalogue = new DynamoDbMarketplaceCatalogue(documentClient, names.marketplace, names.audit, clock);
  });

  const installBy = (tenantId: string) => ({ tenantId, version: '1.0.0', at: clock.now().toISOString() });

  it("shows a change written through one instance in another's results after its sync interval", async () => {
    await list('alpha');
    await list('beta');
    await catalogue.incrementDownloads('alpha', installBy('t-one'), []);
    const options = { catalogue, clock, maxAgeMs: 600_000, syncIntervalMs: 1000 };
    const instanceA = new CatalogueSearch(options);
    const instanceB = new CatalogueSearch(options);
    expect(pluginIds(await instanceA.search(byDownloads))).toEqual(['alpha', 'beta']);
    expect(pluginIds(await instanceB.search(byDownloads))).toEqual(['alpha', 'beta']);

    clock.advance(100);
    await catalogue.incrementDownloads('beta', installBy('t-one'), []);
    await catalogue.incrementDownloads('beta', installBy('t-two'), []);
    await instanceA.refresh('beta');
    const onA = await instanceA.search(byDownloads);
    const onBWithinInterval = await instanceB.search(byDownloads);
    clock.advance(1000);
    const onBAfterInterval = await instanceB.search(byDownloads);

    expect(pluginIds(onA)).toEqual(['beta', 'alpha']);
    expect(pluginIds(onBWithinInterval)).toEqual(['alpha', 'beta']);
    expect(pluginIds(onBAfterInterval)).toEqual(['beta', 'alpha']);
    expect(onBAfterInterval.items[0]?.downloads).toBe(2);
  });

  it('pages through the feed and answers only entries changed after the given time', async () => {
    // ~20 KB each: 60 of them exceed one 1 MB query page.
    const description = 'x'.repeat(20_000);
    clock.advance(60_000);
    const start = clock.now();
    const early = Array.from({ length: 30 }, (_, index) => `early-${index}`);
    const late = Array.from({ length: 30 }, (_, index) => `late-${index}`);
    for (const pluginId of early) await list(pluginId, description);
    clock.advance(10_000);
    const middle = clock.now();
    clock.advance(1);
    for (const pluginId of late) await list(pluginId, description);

    const sinceStart = await catalogue.listEntriesChangedSince(new Date(start.getTime() - 1));
    const sinceMiddle = await catalogue.listEntriesChangedSince(middle);

    expect(sinceStart.map((entry) => entry.pluginId).sort()).toEqual([...early, ...late].sort());
    expect(sinceMiddle.map((entry) => entry.pluginId).sort()).toEqual([...late].sort());
    expect(sinceMiddle[0]?.description).toBe(description);
  });
});
