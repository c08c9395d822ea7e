import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { complianceLogObjects, connectTenant, type E2eTenant } from '../support/e2e-tenant.ts';
import {
  jsonOf,
  type LocalPlatformProcess,
  startLocalPlatformProcess,
} from '../support/local-platform-process.ts';

/**
 * The attack: one run loops for as long as it may on a refused hook (the event cap, oversized
 * payloads, reserved names, calls it has no grant for). Each attempt used to become its own
 * compliance-log record (tens of thousands, irreversibly, in WORM storage), the run answered long
 * after its deadline and other tenants' requests failed while the backlog drained.
 */
const FLOOD_MS = 1_500;
const TIMEOUT_MS = 2_000;
const MOST_RECORDS_PER_RUN = 40;

const flood = (body: string) => `export default {
  async execute(input, api) {
    let attempts = 0;
    const end = Date.now() + ${FLOOD_MS};
    while (Date.now() < end) {
      attempts++;
      try { ${body} } catch {}
    }
    return attempts;
  },
};
`;

const FLOODS: Record<string, string> = {
  'emit-past-the-cap': flood(`api.events.emit('tick', { n: attempts });`),
  'oversized-payloads': flood(`api.events.emit('big', { blob: 'x'.repeat(70000) });`),
  'reserved-names': flood(`api.events.emit('plugin:disabled', { forged: attempts });`),
  'denied-calls': flood(`await api.patients.update('p-001', { active: false });`),
};

const HEALTHY = `export default { async execute(input, api) { return (await api.patients.get('p-002')).id; } };`;

describe('one run flooding refused hooks', () => {
  let platform: LocalPlatformProcess;
  let acme: E2eTenant;
  let globex: E2eTenant;

  beforeAll(async () => {
    platform = await startLocalPlatformProcess();
    [acme, globex] = await Promise.all([
      connectTenant(platform, 't-acme'),
      connectTenant(platform, 't-globex'),
    ]);
    for (const [name, code] of Object.entries(FLOODS)) {
      await acme.installEnabled(`flood-${name}`, code, {
        permissions: ['read:patients'],
        limits: { timeoutMs: TIMEOUT_MS },
      });
    }
    await globex.installEnabled('healthy-reader', HEALTHY, { permissions: ['read:patients'] });
  }, 120_000);

  afterAll(async () => {
    await platform?.stop();
  });

  for (const name of Object.keys(FLOODS)) {
    it(`${name}: writes a bounded number of records, ends on time, and leaves other tenants unharmed`, async () => {
      // What set-up and earlier floods wrote is delivered first, so only this run's records count.
      const before = await settledRecordCount(platform, 0);
      const startedAt = performance.now();

      const flooding = acme.invoke(`flood-${name}`).then(async (response) => ({
        response,
        body: await jsonOf(response),
        answeredAfterMs: performance.now() - startedAt,
      }));
      await new Promise((resolve) => setTimeout(resolve, FLOOD_MS / 3));
      const otherStartedAt = performance.now();
      const [otherInvoke, otherList] = await Promise.all([
        globex.invoke('healthy-reader'),
        globex.send('GET', '/v1/plugins'),
      ]);
      const otherAnsweredAfterMs = performance.now() - otherStartedAt;
      const flooded = await flooding;
      const records = await settledRecordCount(platform, before);

      console.info(
        `[${name}] attempts=${flooded.body.value ?? flooded.body.error?.code} records=${records} answeredAfterMs=${Math.round(flooded.answeredAfterMs)} wallMs=${flooded.body.usage?.wallMs} otherTenantMs=${Math.round(otherAnsweredAfterMs)}`,
      );
      expect(flooded.response.status).toBe(200);
      expect(records).toBeLessThanOrEqual(MOST_RECORDS_PER_RUN);
      expect(otherInvoke.status).toBe(200);
      expect(await jsonOf(otherInvoke)).toMatchObject({ ok: true, value: 'p-002' });
      expect(otherList.status).toBe(200);
      const written = newRecords(platform, before);
      expect(written.some((text) => text.includes('"count"'))).toBe(true);
    });
  }
});

/** Polls until the compliance log stops growing: delivery continues after the run answers. */
async function settledRecordCount(platform: LocalPlatformProcess, before: number): Promise<number> {
  let last = -1;
  let current = complianceLogObjects(platform).length;
  while (current !== last) {
    await new Promise((resolve) => setTimeout(resolve, 500));
    last = current;
    current = complianceLogObjects(platform).length;
  }
  return current - before;
}

function newRecords(platform: LocalPlatformProcess, before: number): string[] {
  return complianceLogObjects(platform)
    .sort()
    .slice(before)
    .map((path) => readFileSync(path, 'utf8'));
}
