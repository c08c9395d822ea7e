import { describe, expect, it } from 'vitest';
import { rescanReleases } from '../../../../../shared/services/scanning/rescan-releases.ts';
import {
  InMemoryAdvisoryDatabase,
  osvRecord,
} from '../../../../support/fakes/in-memory-advisory-database.ts';
import { actor, createMarketplaceHarness } from '../../../../support/fakes/in-memory-marketplace-harness.ts';
import { InMemoryTenantPolicyRepository } from '../../../../support/fakes/in-memory-tenant-policy-repository.ts';

async function affectedInstall() {
  const harness = createMarketplaceHarness();
  const advisoryDatabase = new InMemoryAdvisoryDatabase();
  await harness.publish('lab-viewer', '1.0.0', {
    metadata: { dependencies: [{ name: 'left-pad', version: '1.3.0' }] },
  });
  await harness.service.downloadAndInstall('lab-viewer', '1.0.0', actor('t-acme'));
  advisoryDatabase.set([osvRecord('GHSA-0001', 'left-pad', { severity: 'HIGH' })], 'v2');
  await rescanReleases(
    {
      ...harness.fakes,
      advisoryDatabase,
      policies: new InMemoryTenantPolicyRepository(),
      installerFor: harness.fakes.installers.installerFor,
    },
    { actorId: 'platform:advisory-refresh', requestId: 'rescan-1' },
  );
  return harness;
}

const FINDING = { advisoryId: 'GHSA-0001', package: 'left-pad', version: '1.3.0', severity: 'high' };

describe('advisory status in the marketplace views', () => {
  it('shows each version its scan status and findings on the plugin page', async () => {
    const { service } = await affectedInstall();

    const page = await service.getPlugin('lab-viewer');

    expect(page.versions[0]?.security).toEqual({
      status: 'advisory',
      findings: [expect.objectContaining(FINDING)],
    });
  });

  it('lists an installation whose version has advisory status among the updates, without a newer version', async () => {
    const { service } = await affectedInstall();

    const updates = await service.checkUpdates(actor('t-acme'), { limit: 25 });

    expect(updates.items).toEqual([
      expect.objectContaining({
        pluginId: 'lab-viewer',
        installedVersion: '1.0.0',
        latestVersion: '1.0.0',
        newPermissions: [],
        installedVersionSecurity: { status: 'advisory', findings: [expect.objectContaining(FINDING)] },
      }),
    ]);
  });

  it('keeps a clean installation without a newer version off the list', async () => {
    const { service, publish } = createMarketplaceHarness();
    await publish('lab-viewer', '1.0.0');
    await service.downloadAndInstall('lab-viewer', '1.0.0', actor('t-acme'));

    expect((await service.checkUpdates(actor('t-acme'), { limit: 25 })).items).toEqual([]);
  });
});
