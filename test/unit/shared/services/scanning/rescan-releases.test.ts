import { describe, expect, it } from 'vitest';
import { SECURITY_ADVISORY_EVENT } from '../../../../../shared/domain/advisory-rescan.ts';
import type { PluginId, TenantId } from '../../../../../shared/domain/identifiers.ts';
import type { Installation } from '../../../../../shared/domain/installation.ts';
import { DEFAULT_TENANT_POLICY } from '../../../../../shared/domain/tenant-policy.ts';
import { rescanReleases } from '../../../../../shared/services/scanning/rescan-releases.ts';
import {
  InMemoryAdvisoryDatabase,
  osvRecord,
} from '../../../../support/fakes/in-memory-advisory-database.ts';
import { createMarketplaceHarness } from '../../../../support/fakes/in-memory-marketplace-harness.ts';
import { InMemoryTenantPolicyRepository } from '../../../../support/fakes/in-memory-tenant-policy-repository.ts';

const RESCAN = { actorId: 'platform:advisory-refresh', requestId: 'rescan-1' };

async function setUp() {
  const harness = createMarketplaceHarness();
  const advisoryDatabase = new InMemoryAdvisoryDatabase();
  const policies = new InMemoryTenantPolicyRepository(harness.fakes.outbox);
  await harness.publish('left-pad-viewer', '1.0.0', {
    metadata: { dependencies: [{ name: 'left-pad', version: '1.3.0' }] },
  });
  await harness.publish('clean-viewer', '1.0.0', {
    metadata: { dependencies: [{ name: 'is-number', version: '7.0.0' }] },
  });
  const deps = {
    ...harness.fakes,
    advisoryDatabase,
    policies,
    installerFor: harness.fakes.installers.installerFor,
  };
  const install = (tenantId: string, pluginId: string, version = '1.0.0') => {
    const release = harness.fakes.catalogue.releases.get(`${pluginId}@${version}`);
    const installation = {
      tenantId: tenantId as TenantId,
      pluginId: pluginId as PluginId,
      version,
      state: 'enabled',
      source: 'marketplace',
      sha256: release?.sha256,
      metadata: release?.metadata,
    } as unknown as Installation;
    harness.fakes.installations.items.set(`${tenantId}/${pluginId}`, installation);
  };
  const disableOnCritical = (tenantId: string) =>
    policies.put(
      tenantId as TenantId,
      { ...DEFAULT_TENANT_POLICY, advisories: { action: 'disable-on-critical' } },
      0,
      'admin',
      new Date(),
      [],
    );
  return { harness, deps, advisoryDatabase, install, disableOnCritical };
}

describe('rescanReleases', () => {
  it('marks a newly affected release advisory and leaves a clean one clean', async () => {
    const { harness, deps, advisoryDatabase } = await setUp();
    advisoryDatabase.set([osvRecord('GHSA-0001', 'left-pad', { fixed: '1.3.1' })], 'v2');

    const report = await rescanReleases(deps, RESCAN);

    expect(report).toMatchObject({ databaseVersion: 'v2', releasesScanned: 2 });
    expect(report.newlyAffected).toEqual([
      expect.objectContaining({ pluginId: 'left-pad-viewer', version: '1.0.0', tenants: [] }),
    ]);
    const affected = await harness.fakes.catalogue.getRelease('left-pad-viewer', '1.0.0');
    expect(affected?.security).toMatchObject({
      status: 'advisory',
      databaseVersion: 'v2',
      findings: [{ advisoryId: 'GHSA-0001', package: 'left-pad', version: '1.3.0', severity: 'critical' }],
    });
    expect((await harness.fakes.catalogue.getRelease('clean-viewer', '1.0.0'))?.security).toMatchObject({
      status: 'clean',
      findings: [],
    });
    expect((await harness.fakes.catalogue.getEntry('left-pad-viewer'))?.securityStatus).toBe('advisory');
    expect((await harness.fakes.catalogue.getEntry('clean-viewer'))?.securityStatus).toBe('clean');
    expect(harness.fakes.outbox.records).toContainEqual(
      expect.objectContaining({
        action: 'marketplace:advisory-rescan',
        outcome: 'success',
        pluginId: 'left-pad-viewer',
        code: 'ADVISORY',
      }),
    );
  });

  it('leaves a version outside the affected range clean', async () => {
    const { harness, deps, advisoryDatabase } = await setUp();
    advisoryDatabase.set([osvRecord('GHSA-0002', 'left-pad', { fixed: '1.3.0' })], 'v2');

    const report = await rescanReleases(deps, RESCAN);

    expect(report.newlyAffected).toEqual([]);
    expect((await harness.fakes.catalogue.getRelease('left-pad-viewer', '1.0.0'))?.security?.status).toBe(
      'clean',
    );
  });

  it('notifies each installing tenant once, with ids and codes only', async () => {
    const { harness, deps, advisoryDatabase, install } = await setUp();
    install('tenant-a', 'left-pad-viewer');
    install('tenant-b', 'left-pad-viewer');
    install('tenant-c', 'clean-viewer');
    advisoryDatabase.set([osvRecord('GHSA-0001', 'left-pad', { severity: 'HIGH' })], 'v2');

    const report = await rescanReleases(deps, RESCAN);

    const events = harness.fakes.outbox.events(SECURITY_ADVISORY_EVENT);
    expect(events.map((event) => event.tenantId).sort()).toEqual(['tenant-a', 'tenant-b']);
    expect(events[0]?.detail).toEqual({
      tenantId: 'tenant-a',
      pluginId: 'left-pad-viewer',
      version: '1.0.0',
      advisoryIds: ['GHSA-0001'],
      severities: ['high'],
      action: 'notified',
    });
    expect(JSON.stringify(events)).not.toContain('Prototype pollution');
    expect(report).toMatchObject({ tenantsNotified: 2, tenantsDisabled: 0 });
    expect(harness.fakes.installers.calls.filter((call) => call.action === 'disable')).toEqual([]);
  });

  it('does nothing on a second rescan with the same database version', async () => {
    const { harness, deps, advisoryDatabase, install } = await setUp();
    install('tenant-a', 'left-pad-viewer');
    advisoryDatabase.set([osvRecord('GHSA-0001', 'left-pad')], 'v2');
    await rescanReleases(deps, RESCAN);
    const entriesAfterFirst = harness.fakes.outbox.entries.length;

    const second = await rescanReleases(deps, RESCAN);

    expect(second).toMatchObject({ releasesScanned: 0, newlyAffected: [], tenantsNotified: 0 });
    expect(harness.fakes.outbox.entries.length).toBe(entriesAfterFirst);
  });

  it('notifies again only for findings new to the release when the database changes', async () => {
    const { harness, deps, advisoryDatabase, install } = await setUp();
    install('tenant-a', 'left-pad-viewer');
    const first = osvRecord('GHSA-0001', 'left-pad', { severity: 'LOW' });
    advisoryDatabase.set([first], 'v2');
    await rescanReleases(deps, RESCAN);

    advisoryDatabase.set([first, osvRecord('GHSA-0003', 'left-pad', { severity: 'MODERATE' })], 'v3');
    const report = await rescanReleases(deps, RESCAN);

    expect(report.newlyAffected[0]?.findings.map((finding) => finding.advisoryId)).toEqual(['GHSA-0003']);
    const events = harness.fakes.outbox.events(SECURITY_ADVISORY_EVENT);
    expect(events.map((event) => event.detail.advisoryIds)).toEqual([['GHSA-0001'], ['GHSA-0003']]);
    const stored = await harness.fakes.catalogue.getRelease('left-pad-viewer', '1.0.0');
    expect(stored?.security?.findings).toHaveLength(2);
  });

  it('disables the installation on a critical finding where the policy says disable-on-critical', async () => {
    const { harness, deps, advisoryDatabase, install, disableOnCritical } = await setUp();
    install('tenant-a', 'left-pad-viewer');
    install('tenant-b', 'left-pad-viewer');
    await disableOnCritical('tenant-a');
    advisoryDatabase.set([osvRecord('GHSA-0001', 'left-pad', { severity: 'CRITICAL' })], 'v2');

    const report = await rescanReleases(deps, RESCAN);

    expect(report.newlyAffected[0]?.tenants).toEqual([
      { tenantId: 'tenant-a', action: 'disabled' },
      { tenantId: 'tenant-b', action: 'notified' },
    ]);
    expect(report.tenantsDisabled).toBe(1);
    expect(harness.fakes.installations.items.get('tenant-a/left-pad-viewer')).toMatchObject({
      state: 'disabled',
      stateReason: 'security-advisory',
    });
    expect(harness.fakes.installations.items.get('tenant-b/left-pad-viewer')?.state).toBe('enabled');
    const actions = harness.fakes.outbox.events(SECURITY_ADVISORY_EVENT).map((event) => event.detail.action);
    expect(actions).toEqual(['disabled', 'notified']);
  });

  it('does not disable on a finding below critical, whatever the policy', async () => {
    const { harness, deps, advisoryDatabase, install, disableOnCritical } = await setUp();
    install('tenant-a', 'left-pad-viewer');
    await disableOnCritical('tenant-a');
    advisoryDatabase.set([osvRecord('GHSA-0001', 'left-pad', { severity: 'HIGH' })], 'v2');

    const report = await rescanReleases(deps, RESCAN);

    expect(report.newlyAffected[0]?.tenants).toEqual([{ tenantId: 'tenant-a', action: 'notified' }]);
    expect(harness.fakes.installations.items.get('tenant-a/left-pad-viewer')?.state).toBe('enabled');
  });

  it('skips a release another rescan stored first, repeating no event', async () => {
    const { harness, deps, advisoryDatabase, install } = await setUp();
    install('tenant-a', 'left-pad-viewer');
    advisoryDatabase.set([osvRecord('GHSA-0001', 'left-pad')], 'v2');
    const catalogue = harness.fakes.catalogue;
    const racing = Object.assign(Object.create(catalogue), {
      recordReleaseSecurity: async () => false,
    });

    const report = await rescanReleases({ ...deps, catalogue: racing }, RESCAN);

    expect(report.newlyAffected).toEqual([]);
    expect(harness.fakes.outbox.events(SECURITY_ADVISORY_EVENT)).toEqual([]);
  });
});
