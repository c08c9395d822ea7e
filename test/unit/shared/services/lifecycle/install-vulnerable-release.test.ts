import { beforeEach, describe, expect, it } from 'vitest';
import type { ReleaseSecurity, Severity } from '../../../../../shared/domain/dependency-scan.ts';
import { DEFAULT_TENANT_POLICY } from '../../../../../shared/domain/tenant-policy.ts';
import { createLifecycleHarness, SAMPLE_CODE } from '../../../../support/lifecycle-harness.ts';

type Harness = Awaited<ReturnType<typeof createLifecycleHarness>>;

const advisory = (severity: Severity): ReleaseSecurity => ({
  status: 'advisory',
  findings: [{ advisoryId: 'GHSA-aaaa-bbbb-cccc', package: 'left-pad', version: '1.3.0', severity }],
  scannedAt: '2030-01-01T00:00:00.000Z',
  databaseVersion: 'v2',
});

describe('installs of a release with advisory findings', () => {
  let h: Harness;

  beforeEach(async () => {
    h = await createLifecycleHarness();
  });

  async function publishWith(id: string, version: string, security: ReleaseSecurity, code = SAMPLE_CODE) {
    const published = await h.publishRelease(id, version, code);
    const release = h.catalogue.releases.get(`${id}@${version}`);
    if (release) h.catalogue.put({ ...release, security });
    return { id, version, code, metadata: published.metadata, release: published.statement };
  }

  const blockAt = (threshold: Severity) =>
    h.setPolicy('t-globex', {
      advisories: { ...DEFAULT_TENANT_POLICY.advisories, blockInstallsAtOrAbove: threshold },
    });

  it('refuses an install at or above the tenant threshold, naming package, version, advisory and severity', async () => {
    blockAt('high');
    const request = await publishWith('sched', '1.0.0', advisory('high'));

    const attempt = h.serviceFor('t-globex').installPlugin(request);

    await expect(attempt).rejects.toMatchObject({
      code: 'VULNERABLE_DEPENDENCY',
      message: 'Vulnerable dependencies: left-pad@1.3.0 is affected by advisory GHSA-aaaa-bbbb-cccc (high).',
      details: {
        findings: [
          { package: 'left-pad', version: '1.3.0', advisoryId: 'GHSA-aaaa-bbbb-cccc', severity: 'high' },
        ],
      },
    });
    expect(h.outbox.records).toContainEqual(
      expect.objectContaining({ action: 'security:policy-refusal', code: 'VULNERABLE_DEPENDENCY' }),
    );
  });

  it('installs a release whose findings are below the threshold', async () => {
    blockAt('critical');
    const request = await publishWith('sched', '1.0.0', advisory('high'));

    const installed = await h.serviceFor('t-globex').installPlugin(request);

    expect(installed.version).toBe('1.0.0');
  });

  it('installs any release where the policy sets no threshold', async () => {
    h.setPolicy('t-globex', {});
    const request = await publishWith('sched', '1.0.0', advisory('critical'));

    await expect(h.serviceFor('t-globex').installPlugin(request)).resolves.toMatchObject({
      version: '1.0.0',
    });
  });

  it('refuses an update to a release at or above the threshold', async () => {
    blockAt('moderate');
    const clean: ReleaseSecurity = { ...advisory('low'), status: 'clean', findings: [] };
    await h.serviceFor('t-globex').installPlugin(await publishWith('sched', '1.0.0', clean));
    await publishWith('sched', '1.1.0', advisory('moderate'), `${SAMPLE_CODE}// 1.1.0\n`);

    const attempt = h.serviceFor('t-globex').updatePlugin('sched', '1.1.0');

    await expect(attempt).rejects.toMatchObject({ code: 'VULNERABLE_DEPENDENCY' });
  });
});
