import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { seedDemoMarketplaceFromConfig } from '../../../../../apps/local-platform/demo/seed-demo-marketplace.ts';
import { startS3Local } from '../../../../../apps/local-platform/stand-ins/s3-local.ts';
import {
  loadMarketplaceConfig,
  type MarketplaceConfig,
} from '../../../../../functions/marketplace/config.ts';
import { DynamoDbMarketplaceCatalogue } from '../../../../../shared/adapters/aws/dynamodb-marketplace-catalogue.ts';
import { sbomSha256Of } from '../../../../../shared/domain/release-claim.ts';
import { sha256Hex } from '../../../../../shared/domain/signatures.ts';
import { createTestTables } from '../../../../support/dynamodb-tables.ts';
import { exampleBuilds } from '../../../../support/example-builds.ts';
import { createTestIssuer } from '../../../../support/test-issuer.ts';

describe('seedDemoMarketplaceFromConfig (DynamoDB Local + s3rver)', () => {
  const dataDirectory = mkdtempSync(join(tmpdir(), 'seed-demo-'));
  let s3: Awaited<ReturnType<typeof startS3Local>>;
  let config: MarketplaceConfig;
  let catalogue: DynamoDbMarketplaceCatalogue;

  beforeAll(async () => {
    s3 = await startS3Local({
      directory: join(dataDirectory, 's3'),
      buckets: ['seed-artifacts', 'seed-compliance'],
    });
    const { names, documentClient } = await createTestTables();
    catalogue = new DynamoDbMarketplaceCatalogue(documentClient, names.marketplace, names.audit);
    config = loadMarketplaceConfig({
      AWS_ENDPOINT_URL_DYNAMODB: inject('dynamodbEndpoint'),
      AWS_ENDPOINT_URL_S3: s3.endpoint,
      ...(await createTestIssuer()).env,
      PLATFORM_MODE: 'local',
      PLUGINS_TABLE: names.plugins,
      MARKETPLACE_TABLE: names.marketplace,
      AUDIT_TABLE: names.audit,
      ARTIFACT_BUCKET: 'seed-artifacts',
      COMPLIANCE_LOG_BUCKET: 'seed-compliance',
      LOCAL_SIGNING_KEY_FILE: join(dataDirectory, 'keys', 'platform-signing-key.pem'),
      LOCAL_CURSOR_KEY_FILE: join(dataDirectory, 'keys', 'cursor-key.bin'),
      S3_FORCE_PATH_STYLE: 'true',
      POWERTOOLS_LOG_LEVEL: 'ERROR',
    });
  });

  afterAll(async () => {
    await s3?.stop();
  });

  it('publishes the demo plugins once, signed and listed under a verified publisher', async () => {
    const first = await seedDemoMarketplaceFromConfig({ dataDirectory, config });
    const again = await seedDemoMarketplaceFromConfig({ dataDirectory, config });

    expect(first.published).toHaveLength(3);
    expect(again.published).toEqual([]);
    expect((await catalogue.listEntries()).map((entry) => entry.latestVersion).sort()).toEqual([
      '0.9.0',
      '1.0.0',
      '1.2.0',
    ]);
    expect(await catalogue.getPublisher('gradiant-demo')).toMatchObject({
      isVerified: true,
      verification: {
        method: 'well-known',
        domain: 'demo.gradiant.localhost',
        verifiedBy: 'platform:demo-seed',
      },
    });
    expect((await catalogue.listEntries()).every((entry) => entry.publisherVerified)).toBe(true);
  });

  it("stores each example's build with the SBOM its signature covers", async () => {
    await seedDemoMarketplaceFromConfig({ dataDirectory, config });

    for (const { manifest, code, sbom } of await exampleBuilds()) {
      expect(await catalogue.getRelease(manifest.id, manifest.version)).toMatchObject({
        sha256: sha256Hex(code),
        sbomSha256: sbomSha256Of(sbom),
        components: [],
        metadata: { name: manifest.metadata.name, permissions: manifest.metadata.permissions },
      });
    }
  });
});
