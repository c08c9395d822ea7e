import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { demoFhirPatients } from '../../apps/local-platform/demo/demo-fhir-data.ts';
import { TenantIdSchema } from '../../shared/domain/identifiers.ts';
import { complianceLogObjects, connectTenant, type E2eTenant } from '../support/e2e-tenant.ts';
import {
  jsonOf,
  type LocalPlatformProcess,
  startLocalPlatformProcess,
} from '../support/local-platform-process.ts';

/**
 * The attack: get PHI into the six-year, write-once compliance log. Plugins read the seeded
 * synthetic patients and push their names, birth dates and emails through every channel that
 * ends in a record (event payloads and names, denied calls, reasons, errors, a subscriber), and a
 * client sends them as ids the API refuses. Afterwards no compliance-log object may contain them.
 */
const LEAKY = `export default {
  async execute(input, api) {
    const patients = await api.patients.search({});
    const phi = patients.map((p) => ({ name: p.name, birthDate: p.birthDate, email: p.email }));
    await api.events.emit('digest', { phi });
    for (const p of phi.slice(0, 8)) {
      try { await api.events.emit('appointment:' + p.email.replace('@', '-at-'), p); } catch {}
      try { await api.events.emit(p.birthDate, p); } catch {}
      try { await api.patients.update(patients[0].id, { name: p.name }); } catch {}
      try { await api.patients.get(p.email); } catch {}
    }
    await api.appointments.cancel('a-001', phi[0].name + ' ' + phi[0].birthDate);
    api.logger.info(phi[1].name, { email: phi[1].email });
    throw new Error(phi[2].name + ' born ' + phi[2].birthDate);
  },
};`;

const SUBSCRIBER = `export default {
  async onEvent(event, api) {
    throw new Error('received ' + JSON.stringify(event.data));
  },
};`;

describe('PHI sent towards the compliance log', () => {
  let platform: LocalPlatformProcess;
  let acme: E2eTenant;
  // The seeded FHIR patients' names, birth dates and emails, as the plugin API projects them.
  const patients = demoFhirPatients(TenantIdSchema.parse('t-acme')).map((patient) => ({
    name: patient.name?.[0]?.text ?? '',
    birthDate: patient.birthDate ?? '',
    email: patient.telecom?.find((telecom) => telecom.system === 'email')?.value ?? '',
  }));
  const phiValues = patients.flatMap((patient) => [patient.name, patient.birthDate, patient.email]);

  beforeAll(async () => {
    platform = await startLocalPlatformProcess();
    acme = await connectTenant(platform, 't-acme');
    await acme.installEnabled('leaky', LEAKY, { permissions: ['read:patients', 'write:appointments'] });
    await acme.installEnabled('digest-reader', SUBSCRIBER, { events: ['plugin-event:leaky:digest'] });
  }, 120_000);

  afterAll(async () => {
    await platform?.stop();
  });

  it('keeps every seeded name, birth date and email out of every compliance-log object', async () => {
    const before = complianceLogObjects(platform).length;

    const invoked = await acme.invoke('leaky', { note: patients[3]?.name });
    const refusedInstall = await acme.send('POST', '/v1/plugins', {
      id: patients[4]?.name,
      version: patients[5]?.birthDate,
      code: 'export default {}',
      metadata: { name: 'x', description: 'x', author: patients[6]?.email, permissions: [] },
      signature: { keyId: patients[7]?.email, signature: 'AAAA' },
    });
    const refusedInvoke = await acme.send(
      'POST',
      `/v1/plugins/${encodeURIComponent(patients[8]?.email ?? '')}/invoke`,
      {
        input: patients[9]?.name,
      },
    );
    await waitUntilSettled(platform, before);

    expect(invoked.status).toBe(200);
    expect(await jsonOf(invoked)).toMatchObject({ ok: false, error: { code: 'PluginError' } });
    expect(refusedInstall.status).toBeGreaterThanOrEqual(400);
    expect(refusedInvoke.status).toBeGreaterThanOrEqual(400);
    const objects = complianceLogObjects(platform).map((path) => readFileSync(path, 'utf8'));
    expect(objects.length).toBeGreaterThan(before);
    expect(objects.some((text) => text.includes('"emittedEvents"'))).toBe(true);
    const leaks = phiValues.filter((value) => value && objects.some((text) => text.includes(value)));
    expect(leaks).toEqual([]);
  });

  it('keeps them out of every record the audit API answers, as JSON and as FHIR', async () => {
    const auditor = `Bearer ${await platform.token('t-acme', ['audit:read'], 'officer-1')}`;
    const pages: string[] = [];
    for (const format of ['json', 'fhir']) {
      let cursor: string | undefined;
      do {
        const query = new URLSearchParams({ limit: '200', format, ...(cursor ? { cursor } : {}) });
        const response = await fetch(`${platform.url}/v1/audit?${query}`, {
          headers: { authorization: auditor },
        });
        expect(response.status).toBe(200);
        const text = await response.text();
        pages.push(text);
        const page = JSON.parse(text);
        cursor = format === 'json' ? page.nextCursor : nextCursorOf(page);
      } while (cursor);
    }
    const answered = pages.join('\n');
    expect(answered).toContain('plugin:invoked');
    expect(answered).toContain('security:permission-denied');
    expect(phiValues.filter((value) => value && answered.includes(value))).toEqual([]);
  });

  it('keeps them out of every log line the platform wrote meanwhile', () => {
    const logLines = platform.output();
    expect(logLines.length).toBeGreaterThan(0);
    expect(phiValues.filter((value) => value && logLines.includes(value))).toEqual([]);
  });
});

async function waitUntilSettled(platform: LocalPlatformProcess, before: number): Promise<void> {
  let last = -1;
  let current = complianceLogObjects(platform).length;
  while (current !== last || current === before) {
    await new Promise((resolve) => setTimeout(resolve, 750));
    last = current;
    current = complianceLogObjects(platform).length;
  }
}

/** A FHIR Bundle's next page is a link; its cursor is that link's `cursor` parameter. */
function nextCursorOf(bundle: { link?: { relation: string; url: string }[] }): string | undefined {
  const next = bundle.link?.find((link) => link.relation === 'next');
  return next ? (new URL(next.url, 'http://local').searchParams.get('cursor') ?? undefined) : undefined;
}
