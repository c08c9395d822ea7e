import { describe, expect, it } from 'vitest';
import { createFixtureHost, type Fixtures } from '../../../../apps/cli/fixture-host.ts';
import { DEFAULT_PATIENT_SEARCH_LIMIT } from '../../../../shared/domain/ehr.ts';
import type { TenantId } from '../../../../shared/domain/identifiers.ts';
import type { PluginHost } from '../../../../shared/sandbox/host.ts';
import { createPlatformHost } from '../../../../shared/services/execution/platform-host.ts';
import { InMemoryEhrRepository } from '../../../support/fakes/in-memory-ehr-repository.ts';
import { InMemoryOutbox } from '../../../support/fakes/in-memory-outbox.ts';

const TENANT = 't-parity';
const PATIENTS = Array.from({ length: 1200 }, (_, index) => ({
  id: `p-${index + 1}`,
  name: `Pat Example${index + 1}`,
  family: `Example${index + 1}`,
  given: ['Pat'],
  birthDate: '1980-01-01',
}));

async function bothHosts(): Promise<Record<'run' | 'platform', PluginHost>> {
  const fixtures: Fixtures = {
    tenants: {
      [TENANT]: { patients: PATIENTS.map((p) => ({ ...p, identifiers: [], telecom: [] })), appointments: [] },
    },
  };
  const ehr = new InMemoryEhrRepository();
  for (const patient of PATIENTS) await ehr.putPatient(TENANT as TenantId, patient);
  const platform = createPlatformHost(
    { tenantId: TENANT as TenantId, pluginId: 'parity', deadlineAt: Date.now() + 60_000 },
    {
      ehr,
      outbox: new InMemoryOutbox(),
      clock: { now: () => new Date() },
      ids: { next: () => 'id' },
      auditRetry: { attempts: 1, baseDelayMs: 0 },
    },
  );
  return { run: createFixtureHost(fixtures, TENANT), platform };
}

async function outcome(host: PluginHost, criteria: Record<string, unknown>) {
  try {
    const found = (await host.patients.search(criteria as never)) as { id: string }[];
    return { count: found.length };
  } catch (error) {
    return { error: (error as Error).name, message: (error as Error).message };
  }
}

describe('run pages patients.search as the platform does', () => {
  const cases: [string, Record<string, unknown>][] = [
    ['no criteria', {}],
    ['a limit', { limit: 5 }],
    ['the largest limit', { limit: 1000 }],
    ['a limit over the maximum', { limit: 1001 }],
    ['a limit of zero', { limit: 0 }],
    ['a criterion the platform does not know', { city: 'Springfield' }],
    ['a bad gender', { gender: 'robot' }],
  ];
  for (const [name, criteria] of cases) {
    it(`answers ${name} as the platform host does`, async () => {
      const hosts = await bothHosts();

      const [local, platform] = [await outcome(hosts.run, criteria), await outcome(hosts.platform, criteria)];

      expect(local).toEqual(platform);
    });
  }

  it('answers at most the platform default without a limit', async () => {
    const hosts = await bothHosts();

    expect(await outcome(hosts.run, {})).toEqual({ count: DEFAULT_PATIENT_SEARCH_LIMIT });
  });
});
