import { GetCommand } from '@aws-sdk/lib-dynamodb';
import { beforeAll, describe, expect, it } from 'vitest';
import { DynamoDbMarketplaceCatalogue } from '../../../../../../shared/adapters/aws/dynamodb-marketplace-catalogue.ts';
import { PluginMetadataSchema } from '../../../../../../shared/domain/manifest.ts';
import type { ReleaseRecord } from '../../../../../../shared/domain/marketplace.ts';
import { createTestTables } from '../../../../../support/dynamodb-tables.ts';

const scanned: ReleaseRecord = {
  pluginId: 'scanned' as ReleaseRecord['pluginId'],
  version: '1.0.0',
  sha256: 'a'.repeat(64),
  sizeBytes: 10,
  publisherId: 'pub-acme',
  publisherKeyId: 'pk_1',
  metadata: PluginMetadataSchema.parse({ name: 'Scanned', description: 'd', author: 'a' }),
  status: 'active',
  publishedAt: '2030-01-01T00:00:00.000Z',
  releaseNotes: 'First release.',
  sbomSha256: 'b'.repeat(64),
  components: [
    { name: 'left-pad', version: '1.3.0', source: 'sbom' },
    { name: 'jquery', version: '3.7.1', source: 'bundle-content' },
  ],
  security: {
    status: 'clean',
    findings: [],
    scannedAt: '2030-01-01T00:00:00.000Z',
    databaseVersion: 'osv-1',
  },
};

describe("DynamoDB catalogue: a release's scan (DynamoDB Local)", () => {
  let catalogue: DynamoDbMarketplaceCatalogue;
  let read: (key: Record<string, string>) => Promise<Record<string, unknown> | undefined>;

  beforeAll(async () => {
    const { names, documentClient } = await createTestTables();
    catalogue = new DynamoDbMarketplaceCatalogue(documentClient, names.marketplace, names.audit);
    read = async (Key) =>
      (await documentClient.send(new GetCommand({ TableName: names.marketplace, Key }))).Item;
  });

  it('keeps notes, SBOM digest and components in the immutable release and the scan beside the status', async () => {
    await catalogue.createRelease(scanned);

    const item = await read({ PK: 'PLUGIN#scanned', SK: 'VERSION#1.0.0' });

    expect(await catalogue.getRelease('scanned', '1.0.0')).toEqual(scanned);
    expect(item?.security).toEqual(scanned.security);
    expect(item?.release).toMatchObject({ releaseNotes: 'First release.', components: scanned.components });
    expect(item?.release).not.toHaveProperty('security');
  });
});
