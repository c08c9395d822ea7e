import { GetCommand } from '@aws-sdk/lib-dynamodb';
import { beforeAll, describe, expect, it } from 'vitest';
import { outboxItem } from '../../../../../../shared/adapters/aws/audit-table-items.ts';
import { DynamoDbMarketplaceCatalogue } from '../../../../../../shared/adapters/aws/dynamodb-marketplace-catalogue.ts';
import type { ReleaseSecurity } from '../../../../../../shared/domain/dependency-scan.ts';
import { PluginMetadataSchema } from '../../../../../../shared/domain/manifest.ts';
import type { ReleaseRecord } from '../../../../../../shared/domain/marketplace.ts';
import { auditEvent } from '../../../../../../shared/services/audit/audit-trail.ts';
import { createTestTables } from '../../../../../support/dynamodb-tables.ts';

const release = (pluginId: string, version = '1.0.0'): ReleaseRecord => ({
  pluginId: pluginId as ReleaseRecord['pluginId'],
  version,
  sha256: 'a'.repeat(64),
  sizeBytes: 10,
  publisherId: 'pub-acme',
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

const security = (
  databaseVersion: string,
  status: ReleaseSecurity['status'] = 'advisory',
): ReleaseSecurity => ({
  status,
  findings:
    status === 'advisory'
      ? [{ advisoryId: 'GHSA-0001', package: 'left-pad', version: '1.3.0', severity: 'critical' }]
      : [],
  scannedAt: '2030-01-02T00:00:00.000Z',
  databaseVersion,
});

let counter = 0;
const sources = {
  ids: { next: () => `00000000-0000-4000-8000-${String(++counter).padStart(12, '0')}` },
  clock: { now: () => new Date('2030-01-02T00:00:00Z') },
};
const rescanRecord = (pluginId: string) =>
  auditEvent(
    {
      action: 'marketplace:advisory-rescan',
      outcome: 'success',
      actor: 'platform:advisory-rescan',
      pluginId,
    },
    sources,
  );

describe('a release scan stored beside its status (DynamoDB Local)', () => {
  let catalogue: DynamoDbMarketplaceCatalogue;
  let documentClient: Awaited<ReturnType<typeof createTestTables>>['documentClient'];
  let names: Awaited<ReturnType<typeof createTestTables>>['names'];

  beforeAll(async () => {
    ({ names, documentClient } = await createTestTables());
    catalogue = new DynamoDbMarketplaceCatalogue(documentClient, names.marketplace, names.audit);
  });

  it('keeps both a rescan and a yank that race on the same release', async () => {
    await catalogue.createRelease(release('raced'));

    const [isWritten, yanked] = await Promise.all([
      catalogue.recordReleaseSecurity(
        'raced',
        '1.0.0',
        {
          security: security('v2'),
          expectedDatabaseVersion: undefined,
          at: new Date('2030-01-02T00:00:00Z'),
        },
        [rescanRecord('raced')],
      ),
      catalogue.changeReleaseStatus(
        'raced',
        '1.0.0',
        { status: 'yanked', yankedAt: '2030-01-02T00:00:00.000Z' },
        [],
      ),
    ]);

    expect(isWritten).toBe(true);
    expect(yanked.status).toBe('yanked');
    const stored = await catalogue.getRelease('raced', '1.0.0');
    expect(stored).toMatchObject({
      status: 'yanked',
      yankedAt: '2030-01-02T00:00:00.000Z',
      security: security('v2'),
    });
  });

  it('stores a scan only over the one it expects, so a second rescan of the same version writes nothing', async () => {
    await catalogue.createRelease(release('conditional'));
    const first = await catalogue.recordReleaseSecurity(
      'conditional',
      '1.0.0',
      { security: security('v2'), expectedDatabaseVersion: undefined, at: new Date() },
      [],
    );

    const stale = await catalogue.recordReleaseSecurity(
      'conditional',
      '1.0.0',
      { security: security('v3', 'clean'), expectedDatabaseVersion: undefined, at: new Date() },
      [rescanRecord('conditional')],
    );
    const next = await catalogue.recordReleaseSecurity(
      'conditional',
      '1.0.0',
      { security: security('v3', 'clean'), expectedDatabaseVersion: 'v2', at: new Date() },
      [],
    );

    expect([first, stale, next]).toEqual([true, false, true]);
    expect((await catalogue.getRelease('conditional', '1.0.0'))?.security?.databaseVersion).toBe('v3');
  });

  it("sets the entry's security status with the change-feed stamp, and commits the record with it", async () => {
    await catalogue.createRelease(release('latest'));
    const record = rescanRecord('latest');

    await catalogue.recordReleaseSecurity(
      'latest',
      '1.0.0',
      {
        security: security('v2'),
        expectedDatabaseVersion: undefined,
        entrySecurityStatus: 'advisory',
        at: new Date('2030-01-02T00:00:00Z'),
      },
      [record],
    );

    expect((await catalogue.getEntry('latest'))?.securityStatus).toBe('advisory');
    const item = await documentClient.send(
      new GetCommand({ TableName: names.marketplace, Key: { PK: 'PLUGIN#latest', SK: 'ENTRY' } }),
    );
    expect(item.Item).toMatchObject({
      changedAt: new Date('2030-01-02T00:00:00Z').getTime(),
      GSI2PK: 'CATALOGUE_CHANGES',
    });
    const { PK, SK } = outboxItem(record) as { PK: string; SK: string };
    const outbox = await documentClient.send(new GetCommand({ TableName: names.audit, Key: { PK, SK } }));
    expect(outbox.Item).toBeDefined();
  });
});
