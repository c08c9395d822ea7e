import type { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { GetCommand, ScanCommand } from '@aws-sdk/lib-dynamodb';
import { beforeAll, describe, expect, it } from 'vitest';
import { DynamoDbOutbox } from '../../../../../../shared/adapters/aws/audit-table-items.ts';
import { CATALOGUE_CHANGES_PARTITION } from '../../../../../../shared/adapters/aws/catalogue-change-stamp.ts';
import { DynamoDbMarketplaceCatalogue } from '../../../../../../shared/adapters/aws/dynamodb-marketplace-catalogue.ts';
import { PluginMetadataSchema } from '../../../../../../shared/domain/manifest.ts';
import type { ReleaseRecord } from '../../../../../../shared/domain/marketplace.ts';
import { uuidGenerator } from '../../../../../../shared/ports/id-generator.ts';
import { CatalogueSearch } from '../../../../../../shared/services/marketplace/catalogue-search.ts';
import type { MarketplaceDependencies } from '../../../../../../shared/services/marketplace/marketplace-dependencies.ts';
import { refreshListing } from '../../../../../../shared/services/marketplace/refresh-listing.ts';
import {
  revokePublisherVerification,
  verifyPublisher,
} from '../../../../../../shared/services/marketplace/verify-publisher.ts';
import { createTestTables } from '../../../../../support/dynamodb-tables.ts';
import { fakePublisherDomainProofs } from '../../../../../support/fakes/fake-publisher-domain-proofs.ts';
import { actor } from '../../../../../support/fakes/in-memory-marketplace-harness.ts';

const release = (pluginId: string, publisherId: string): ReleaseRecord => ({
  pluginId: pluginId as ReleaseRecord['pluginId'],
  version: '1.0.0',
  sha256: 'a'.repeat(64),
  sizeBytes: 10,
  publisherId,
  publisherKeyId: 'pk_1',
  metadata: PluginMetadataSchema.parse({
    name: `Plugin ${pluginId}`,
    description: 'd',
    author: 'a',
    tags: [],
  }),
  status: 'active',
  publishedAt: '2030-01-01T00:00:00.000Z',
});

const ENTRIES = 120;
const admin = actor('platform-ops', ['marketplace:admin'], 'ops-1');

describe('publisher verification over DynamoDB Local', () => {
  let catalogue: DynamoDbMarketplaceCatalogue;
  let client: DynamoDBDocumentClient;
  let tables: { marketplace: string; audit: string };
  let deps: MarketplaceDependencies;
  const publisherId = `pub-many-${Date.now()}`;
  const pluginIds = Array.from({ length: ENTRIES }, (_, index) => `${publisherId}-p${index}`);

  beforeAll(async () => {
    const created = await createTestTables();
    client = created.documentClient;
    tables = created.names;
    catalogue = new DynamoDbMarketplaceCatalogue(client, tables.marketplace, tables.audit);
    for (let start = 0; start < ENTRIES; start += 20)
      await Promise.all(
        pluginIds
          .slice(start, start + 20)
          .map((pluginId) => catalogue.createRelease(release(pluginId, publisherId))),
      );
    await catalogue.createRelease(release(`${publisherId}-someone-else`, 'pub-other'));
    const proofs = fakePublisherDomainProofs();
    proofs['dns-txt'].publish('acme-health.com', publisherId);
    const clock = { now: () => new Date('2030-02-01T00:00:00Z') };
    deps = {
      catalogue,
      search: new CatalogueSearch({ catalogue, clock, maxAgeMs: 60_000 }),
      publisherProofs: proofs,
      outbox: new DynamoDbOutbox(client, tables.audit),
      clock,
      ids: uuidGenerator,
    } as unknown as MarketplaceDependencies;
  }, 120_000);

  const verifiedFlags = async () =>
    Promise.all(pluginIds.map(async (pluginId) => (await catalogue.getEntry(pluginId))?.publisherVerified));

  it('flips publisherVerified on all 120 entries (two transactions), stamped for the change feed', async () => {
    const view = await verifyPublisher(
      publisherId,
      { method: 'dns-txt', domain: 'acme-health.com' },
      admin,
      deps,
    );

    expect(view.entriesUpdated).toBe(ENTRIES);
    expect(new Set(await verifiedFlags())).toEqual(new Set([true]));
    expect((await catalogue.getEntry(`${publisherId}-someone-else`))?.publisherVerified).toBe(false);
    expect(await catalogue.getPublisher(publisherId)).toMatchObject({
      isVerified: true,
      verification: { method: 'dns-txt', domain: 'acme-health.com', checkedAt: '2030-02-01T00:00:00.000Z' },
    });
    const raw = await client.send(
      new GetCommand({ TableName: tables.marketplace, Key: { PK: `PLUGIN#${pluginIds[0]}`, SK: 'ENTRY' } }),
    );
    expect(raw.Item).toMatchObject({
      GSI2PK: CATALOGUE_CHANGES_PARTITION,
      changedAt: Date.parse('2030-02-01'),
    });
  });

  it('stores the audit record in the audit table with the profile', async () => {
    const scanned = await client.send(new ScanCommand({ TableName: tables.audit }));
    const bodies = (scanned.Items ?? []).map((item) => String(item.body ?? ''));

    expect(
      bodies.filter((body) => body.includes('marketplace:publisher-verify') && body.includes(publisherId)),
    ).toHaveLength(1);
  });

  it('copies the profile state on a listing refresh (a first publish)', async () => {
    const newcomer = `${publisherId}-new`;
    await catalogue.createRelease(release(newcomer, publisherId));

    await refreshListing(newcomer, deps);

    expect((await catalogue.getEntry(newcomer))?.publisherVerified).toBe(true);
  });

  it('flips every entry back on revocation', async () => {
    const view = await revokePublisherVerification(publisherId, 'domain lapsed', admin, deps);

    expect(view.entriesUpdated).toBe(ENTRIES + 1);
    expect(new Set(await verifiedFlags())).toEqual(new Set([false]));
    expect(await catalogue.getPublisher(publisherId)).toMatchObject({
      isVerified: false,
      verification: { domain: 'acme-health.com' },
      revocation: { reason: 'domain lapsed' },
    });
  });
});
