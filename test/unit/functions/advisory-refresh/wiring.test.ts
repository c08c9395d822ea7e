import { describe, expect, it } from 'vitest';
import { advisoryRefreshHandlerOf } from '../../../../functions/advisory-refresh/wiring.ts';
import { AdvisoryRecordIndex } from '../../../../shared/domain/advisory-record-index.ts';
import { createLogger } from '../../../../shared/observability/logger.ts';
import { RefreshingAdvisoryDatabase } from '../../../../shared/services/scanning/refreshing-advisory-database.ts';
import {
  InMemoryAdvisoryDatabaseStore,
  osvRecord,
} from '../../../support/fakes/in-memory-advisory-database.ts';
import { createMarketplaceHarness } from '../../../support/fakes/in-memory-marketplace-harness.ts';
import { InMemoryTenantPolicyRepository } from '../../../support/fakes/in-memory-tenant-policy-repository.ts';

async function setUp() {
  const harness = createMarketplaceHarness();
  await harness.publish('lab-viewer', '1.0.0', {
    metadata: { dependencies: [{ name: 'left-pad', version: '1.3.0' }] },
  });
  const store = new InMemoryAdvisoryDatabaseStore();
  const database = new RefreshingAdvisoryDatabase({
    store,
    fallback: new AdvisoryRecordIndex([], 'shipped'),
    clock: harness.clock,
    maxAgeMs: 60 * 60 * 1000,
  });
  const exported: unknown[] = [osvRecord('GHSA-0001', 'left-pad')];
  const handler = advisoryRefreshHandlerOf(
    {
      source: { download: async () => exported },
      store,
      database,
      rescan: {
        ...harness.fakes,
        advisoryDatabase: database,
        policies: new InMemoryTenantPolicyRepository(),
        installerFor: harness.fakes.installers.installerFor,
      },
    },
    createLogger('advisory-refresh-test', 'SILENT'),
  );
  return { harness, store, handler };
}

describe('the scheduled advisory refresh', () => {
  it('stores the changed export and rescans with its version at once', async () => {
    const { harness, store, handler } = await setUp();

    const summary = await handler({ id: 'evt-1' });

    expect(summary).toMatchObject({
      isChanged: true,
      records: 1,
      releasesScanned: 1,
      releasesNewlyAffected: 1,
    });
    const release = await harness.fakes.catalogue.getRelease('lab-viewer', '1.0.0');
    expect(release?.security).toMatchObject({ status: 'advisory', databaseVersion: store.stored?.version });
  });

  it('writes nothing and rescans nothing when the export did not change', async () => {
    const { store, handler } = await setUp();
    await handler({ id: 'evt-1' });

    const summary = await handler({ id: 'evt-2' });

    expect(summary).toMatchObject({ isChanged: false, releasesScanned: 0 });
    expect(store.writes).toBe(1);
  });
});
