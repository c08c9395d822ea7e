import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { connectTenant, type E2eTenant } from '../support/e2e-tenant.ts';
import { type InProcessPlatform, startLocalPlatformInProcess } from '../support/local-platform-in-process.ts';
import { jsonOf } from '../support/local-platform-process.ts';
import { connectClient, generateSigningKey, serveJwks } from '../support/smart-backend-client.ts';

/**
 * The plugin API over a real FHIR R4 server: the demo tenant t-acme is connected by the local
 * platform at start (SMART Backend Services against the FHIR stand-in, with the key the platform
 * keeps for the tenant and publishes at its JWKS URL), a plugin reads and changes its records,
 * and a change made in the EHR itself reaches the plugin subscribed to it.
 */
const WORKER = `export default { async execute(input, api) {
  const found = await api.patients.search({ family: 'McTestface' });
  const patient = await api.patients.get('p-001');
  const updated = await api.patients.update('p-001', { email: 'changed-by-plugin@example.org' });
  const booked = await api.appointments.schedule({ patientId: 'p-001', start: input.start, end: input.end });
  const moved = await api.appointments.reschedule(booked.id, input.moveTo);
  await api.appointments.cancel(booked.id, 'no longer needed');
  return { found: found.map((p) => p.id), name: patient.name, email: updated.email, booked: booked.id,
    movedStart: moved.start, mrn: patient.identifiers[0].value };
} };`;

const LISTENER = `export default {
  async onEvent(event, api) { await api.storage.set('heard', event.data.appointmentId); return null; },
  async execute(input, api) { return (await api.storage.get('heard')) ?? null; },
};`;

describe('the plugin API over the tenant’s FHIR R4 server', () => {
  let platform: InProcessPlatform;
  let acme: E2eTenant;

  beforeAll(async () => {
    platform = await startLocalPlatformInProcess({ seed: true });
    acme = await connectTenant(platform, 't-acme');
  }, 120_000);

  afterAll(async () => {
    await platform?.stop();
  });

  it('shows the connection, never its key, and publishes the public key without a token', async () => {
    const view = await jsonOf(await acme.send('GET', '/v1/tenant/ehr-connection'));
    const jwks = await fetch(view.jwksUrl);
    const keys = await jsonOf(jwks);

    expect(view).toMatchObject({ tenantId: 't-acme', fhirBaseUrl: platform.fhir.base('t-acme')?.baseUrl });
    expect(view.subscription).toMatchObject({ state: 'active' });
    expect(jwks.status).toBe(200);
    expect(keys.keys).toEqual([expect.objectContaining({ kid: view.keyId, alg: 'ES384', use: 'sig' })]);
    expect(JSON.stringify([view, keys])).not.toMatch(/"d"\s*:/);
  });

  it('searches, reads, updates, schedules, reschedules and cancels in the EHR itself', async () => {
    await acme.installEnabled('ehr-worker', WORKER, {
      permissions: ['read:patients', 'write:patients', 'write:appointments'],
    });

    const answer = await jsonOf(
      await acme.invoke('ehr-worker', {
        start: '2031-03-01T09:00:00.000Z',
        end: '2031-03-01T09:30:00.000Z',
        moveTo: '2031-03-02T10:00:00.000Z',
      }),
    );

    expect(answer).toMatchObject({ ok: true });
    expect(answer.value).toMatchObject({
      name: 'Testy McTestface (synthetic)',
      email: 'changed-by-plugin@example.org',
      movedStart: '2031-03-02T10:00:00.000Z',
      mrn: 'MRN-001',
    });
    expect(answer.value.found).toContain('p-001');
    const ehr = await ehrUser(platform);
    const patient = await jsonOf(await ehr('Patient/p-001'));
    const appointment = await jsonOf(await ehr(`Appointment/${answer.value.booked}`));
    expect(patient.telecom).toEqual(
      expect.arrayContaining([expect.objectContaining({ value: 'changed-by-plugin@example.org' })]),
    );
    expect(appointment).toMatchObject({ status: 'cancelled', start: '2031-03-02T10:00:00.000Z' });
  }, 60_000);

  it('runs the subscribed plugin’s onEvent when an appointment is cancelled in the EHR', async () => {
    await acme.installEnabled('ehr-listener', LISTENER, { events: ['appointment:cancelled'] });
    const ehr = await ehrUser(platform);
    const current = await jsonOf(await ehr('Appointment/a-002'));

    const cancelled = await ehr('Appointment/a-002', {
      method: 'PUT',
      body: { ...current, status: 'cancelled' },
      headers: { 'if-match': `W/"${current.meta.versionId}"` },
    });

    expect(cancelled.status).toBe(200);
    let heard: unknown = null;
    // Notification → re-read → outbox → stream → bus → the listener's run: ask until it arrived.
    for (let attempt = 0; attempt < 100 && heard !== 'a-002'; attempt += 1) {
      heard = (await jsonOf(await acme.invoke('ehr-listener'))).value;
      if (heard !== 'a-002') await new Promise((resolve) => setTimeout(resolve, 200));
    }
    expect(heard).toBe('a-002');
  }, 60_000);
});

/** A user of the hospital's EHR (not the platform): its own client and key on the FHIR stand-in. */
async function ehrUser(platform: InProcessPlatform) {
  const base = platform.fhir.base('t-acme');
  if (!base) throw new Error('no FHIR base for t-acme');
  const key = await generateSigningKey('ES384');
  const jwks = await serveJwks(() => [key]);
  return connectClient(base, {
    key,
    jwksUrl: jwks.url,
    scopes: ['system/Patient.rus', 'system/Appointment.crus'],
  });
}
