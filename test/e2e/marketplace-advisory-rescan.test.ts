import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { complianceLogObjects } from '../support/e2e-tenant.ts';
import { type InProcessPlatform, startLocalPlatformInProcess } from '../support/local-platform-in-process.ts';
import { jsonOf } from '../support/local-platform-process.ts';
import { createPublisherKeyPair } from '../support/signing.ts';

const PLUGIN = 'e2e-pad-report';
const ADVISORY = 'LOCAL-2030-0001';
const CODE = `export default { async execute() { return 'padded'; } };\n`;

/** A private advisory as an operator would add it: OSV format, critical, left-pad before 1.3.1. */
const advisory = {
  id: ADVISORY,
  modified: '2030-01-01T00:00:00Z',
  summary: 'Test advisory against left-pad',
  affected: [
    {
      package: { ecosystem: 'npm', name: 'left-pad' },
      ranges: [{ type: 'SEMVER', events: [{ introduced: '0' }, { fixed: '1.3.1' }] }],
    },
  ],
  database_specific: { severity: 'CRITICAL' },
};

/**
 * The platform learns of an advisory after publish: a clean release installed in a tenant whose
 * policy says `disable-on-critical`, an operator adds a critical advisory against a bundled
 * dependency and rescans; the version then shows `advisory` on its page and in the tenant's
 * updates, the tenant got `security:advisory` (in the compliance log) and its installation is off.
 */
describe('advisory rescan over HTTP against the local platform', () => {
  let platform: InProcessPlatform;
  let publisher: Record<string, string>;
  let hospital: Record<string, string>;
  let operator: Record<string, string>;
  let otherHospital: Record<string, string>;

  const send = (
    method: string,
    path: string,
    headers: Record<string, string>,
    body?: unknown,
    type = 'application/json',
  ) =>
    fetch(`${platform.url}${path}`, {
      method,
      headers: { ...(body === undefined ? {} : { 'content-type': type }), ...headers },
      ...(body === undefined ? {} : { body: JSON.stringify(body) }),
    });

  beforeAll(async () => {
    platform = await startLocalPlatformInProcess();
    const bearer = async (tenant: string, scopes: string[], subject: string) => ({
      authorization: `Bearer ${await platform.token(tenant, scopes, subject)}`,
    });
    publisher = await bearer('e2e-pad-labs', ['marketplace:publish'], 'author');
    hospital = await bearer('t-acme', ['plugins:admin', 'plugins:read'], 'admin');
    operator = await bearer('platform-ops', ['marketplace:admin'], 'ops');
    otherHospital = await bearer('t-globex', ['plugins:admin', 'plugins:read'], 'admin');
  });

  afterAll(async () => {
    await platform?.stop();
  });

  it('marks the installed version advisory, tells the tenant and disables it as its policy says', async () => {
    const key = createPublisherKeyPair();
    const registered = await send('POST', '/v1/publishers/keys', publisher, key.registration('e2e-pad-labs'));
    const { keyId } = (await jsonOf(registered)) as { keyId: string };
    const published = await send('POST', '/v1/marketplace/plugins', publisher, {
      id: PLUGIN,
      version: '1.0.0',
      metadata: {
        name: 'Pad Report',
        description: 'Pads report columns.',
        author: 'E2E Pad Labs',
        permissions: [],
        dependencies: [{ name: 'left-pad', version: '1.3.0' }],
      },
      code: CODE,
      signature: { keyId, signature: key.sign(CODE) },
    });
    expect(published.status).toBe(201);
    const policy = await send(
      'PATCH',
      '/v1/tenant/policy',
      hospital,
      { advisories: { action: 'disable-on-critical' } },
      'application/merge-patch+json',
    );
    expect(policy.status).toBe(200);
    expect(
      (await send('POST', `/v1/marketplace/plugins/${PLUGIN}/versions/1.0.0/install`, hospital)).status,
    ).toBe(201);
    expect((await send('POST', `/v1/plugins/${PLUGIN}/enable`, hospital)).status).toBe(200);
    const firstScan = await jsonOf(await send('POST', '/v1/marketplace/advisories/rescan', operator));
    expect(firstScan.newlyAffected).toEqual([]);

    const put = await send('PUT', `/v1/marketplace/advisories/${ADVISORY}`, operator, advisory);
    const rescan = await send('POST', '/v1/marketplace/advisories/rescan', operator);

    expect(put.status).toBe(200);
    expect(rescan.status).toBe(200);
    const report = await jsonOf(rescan);
    expect(report).toMatchObject({ tenantsNotified: 1, tenantsDisabled: 1 });
    expect(report.newlyAffected).toEqual([
      expect.objectContaining({
        pluginId: PLUGIN,
        version: '1.0.0',
        tenants: [{ tenantId: 't-acme', action: 'disabled' }],
      }),
    ]);
    const page = await jsonOf(await send('GET', `/v1/marketplace/plugins/${PLUGIN}`, hospital));
    expect(page.versions[0].security).toEqual({
      status: 'advisory',
      findings: [
        expect.objectContaining({ advisoryId: ADVISORY, package: 'left-pad', severity: 'critical' }),
      ],
    });
    const updates = await jsonOf(await send('GET', '/v1/plugins/updates', hospital));
    expect(updates.items).toEqual([
      expect.objectContaining({
        pluginId: PLUGIN,
        installedVersionSecurity: expect.objectContaining({ status: 'advisory' }),
      }),
    ]);
    const installation = await jsonOf(await send('GET', `/v1/plugins/${PLUGIN}`, hospital));
    expect(installation).toMatchObject({ state: 'disabled', stateReason: 'security-advisory' });

    await platform.settleAudit();
    const delivered = complianceLogObjects(platform).map((path) => JSON.parse(readFileSync(path, 'utf8')));
    const advisories = delivered.filter((envelope) => envelope['detail-type'] === 'security:advisory');
    expect(advisories.map((envelope) => envelope.detail)).toEqual([
      expect.objectContaining({
        tenantId: 't-acme',
        pluginId: PLUGIN,
        version: '1.0.0',
        advisoryIds: [ADVISORY],
        severities: ['critical'],
        action: 'disabled',
      }),
    ]);

    await send(
      'PATCH',
      '/v1/tenant/policy',
      otherHospital,
      { advisories: { blockInstallsAtOrAbove: 'high' } },
      'application/merge-patch+json',
    );
    const blocked = await send(
      'POST',
      `/v1/marketplace/plugins/${PLUGIN}/versions/1.0.0/install`,
      otherHospital,
    );
    expect(blocked.status).toBe(422);
    expect(await jsonOf(blocked)).toMatchObject({
      code: 'VULNERABLE_DEPENDENCY',
      detail: `Vulnerable dependencies: left-pad@1.3.0 is affected by advisory ${ADVISORY} (critical).`,
      findings: [{ package: 'left-pad', version: '1.3.0', advisoryId: ADVISORY, severity: 'critical' }],
    });

    const again = await jsonOf(await send('POST', '/v1/marketplace/advisories/rescan', operator));
    expect(again).toMatchObject({ releasesScanned: 0, newlyAffected: [], tenantsNotified: 0 });
  }, 120_000);
});
