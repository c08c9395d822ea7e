import { beforeAll, describe, expect, it } from 'vitest';
import { DynamoDbMarketplaceCatalogue } from '../../../../../../shared/adapters/aws/dynamodb-marketplace-catalogue.ts';
import { DomainError } from '../../../../../../shared/domain/errors/domain-error.ts';
import { PluginMetadataSchema } from '../../../../../../shared/domain/manifest.ts';
import type { ReleaseRecord } from '../../../../../../shared/domain/marketplace.ts';
import { CatalogueSearch } from '../../../../../../shared/services/marketplace/catalogue-search.ts';
import { createTestTables } from '../../../../../support/dynamodb-tables.ts';

const release = (pluginId: string, version: string, publisherId = 'pub-acme'): ReleaseRecord => ({
  pluginId: pluginId as ReleaseRecord['pluginId'],
  version,
  sha256: 'a'.repeat(64),
  sizeBytes: 10,
  publisherId,
  publisherKeyId: 'pk_1',
  metadata: PluginMetadataSchema.parse({
    name: `Plugin ${pluginId}`,
    description: 'd',
    author: 'a',
    tags: ['labs'],
  }),
  status: 'active',
  publishedAt: '2030-01-01T00:00:00.000Z',
});

const codeOf = (promise: Promise<unknown>) =>
  promise.then(
    () => 'OK',
    (error) => (error instanceof DomainError ? error.code : Promise.reject(error)),
  );

const install = { tenantId: 't-acme', version: '1.0.0', at: '2030-01-01T00:00:00.000Z' };

describe('DynamoDB marketplace adapters (DynamoDB Local)', () => {
  let catalogue: DynamoDbMarketplaceCatalogue;

  beforeAll(async () => {
    const { names, documentClient } = await createTestTables();
    catalogue = new DynamoDbMarketplaceCatalogue(documentClient, names.marketplace, names.audit);
  });

  it('claims an id for its first publisher and a version once', async () => {
    await catalogue.createRelease(release('owned', '1.0.0'));

    expect(await codeOf(catalogue.createRelease(release('owned', '1.0.0')))).toBe('VERSION_EXISTS');
    expect(await codeOf(catalogue.createRelease(release('owned', '1.1.0', 'pub-evil')))).toBe(
      'NOT_PLUGIN_OWNER',
    );
    await catalogue.createRelease(release('owned', '1.10.0'));
    expect((await catalogue.listReleases('owned')).map((item) => item.version)).toEqual(['1.10.0', '1.0.0']);
    expect((await catalogue.getEntry('owned'))?.publisherId).toBe('pub-acme');
  });

  it('lets exactly one of many concurrent publishes of the same version win', async () => {
    const outcomes = await Promise.all(
      Array.from({ length: 8 }, () => codeOf(catalogue.createRelease(release('race', '1.0.0')))),
    );

    expect(outcomes.filter((outcome) => outcome === 'OK')).toHaveLength(1);
    expect(outcomes.filter((outcome) => outcome === 'VERSION_EXISTS')).toHaveLength(7);
  });

  it('yanks an active version, revokes over a yank, and refuses yanking a revoked one', async () => {
    await catalogue.createRelease(release('statuses', '1.0.0'));

    const yanked = await catalogue.changeReleaseStatus(
      'statuses',
      '1.0.0',
      {
        status: 'yanked',
        yankedAt: '2030-01-02T00:00:00.000Z',
      },
      [],
    );
    const revoked = await catalogue.changeReleaseStatus(
      'statuses',
      '1.0.0',
      {
        status: 'revoked',
        revokedAt: '2030-01-03T00:00:00.000Z',
        revokedReason: 'malware',
      },
      [],
    );

    expect(yanked.status).toBe('yanked');
    expect(revoked).toMatchObject({ status: 'revoked', revokedReason: 'malware', sha256: 'a'.repeat(64) });
    expect(
      await codeOf(
        catalogue.changeReleaseStatus(
          'statuses',
          '1.0.0',
          {
            status: 'yanked',
            yankedAt: '2030-01-04T00:00:00.000Z',
          },
          [],
        ),
      ),
    ).toBe('ILLEGAL_RELEASE_TRANSITION');
  });

  it('counts concurrent downloads exactly and lists entries for the search index', async () => {
    await catalogue.createRelease(release('popular', '1.0.0'));
    await catalogue.saveListing(
      'popular',
      {
        name: 'Popular',
        description: 'd',
        author: 'a',
        tags: ['labs'],
        latestVersion: '1.0.0',
        updatedAt: '2030-01-01T00:00:00.000Z',
      },
      [],
    );

    await Promise.all(Array.from({ length: 25 }, () => catalogue.incrementDownloads('popular', install, [])));
    const search = new CatalogueSearch({ catalogue, clock: { now: () => new Date() }, maxAgeMs: 60_000 });
    const found = await search.search({ query: 'popular', tags: [], sort: 'relevance', limit: 5 });

    expect((await catalogue.getEntry('popular'))?.downloads).toBe(25);
    expect(found.items.map((entry) => entry.pluginId)).toEqual(['popular']);
  });
});
