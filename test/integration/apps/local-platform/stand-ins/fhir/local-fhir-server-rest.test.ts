import type { Appointment, Bundle, Patient } from '@medplum/fhirtypes';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  DEMO_MRN_SYSTEM,
  demoFhirResources,
} from '../../../../../../apps/local-platform/demo/demo-fhir-data.ts';
import { FAULT_CANARY_NAME } from '../../../../../../apps/local-platform/stand-ins/fhir/fault-injection.ts';
import type { FhirBase } from '../../../../../../apps/local-platform/stand-ins/fhir/fhir-base.ts';
import {
  type LocalFhirServer,
  startLocalFhirServer,
} from '../../../../../../apps/local-platform/stand-ins/fhir/local-fhir-server.ts';
import { connectClient, generateSigningKey, serveJwks } from '../../../../../support/smart-backend-client.ts';

const NOW = new Date('2026-03-02T08:00:00Z');

describe('the local FHIR stand-in: FHIR REST over the seeded demo data', () => {
  let server: LocalFhirServer;
  let acme: FhirBase;
  let jwks: Awaited<ReturnType<typeof serveJwks>>;
  let call: Awaited<ReturnType<typeof connectClient>>;

  const searchIds = async (query: string) => {
    const bundle = (await (await call(`Patient?${query}`)).json()) as Bundle<Patient>;
    return (bundle.entry ?? []).map((entry) => entry.resource?.id);
  };

  beforeAll(async () => {
    const key = await generateSigningKey('ES384');
    jwks = await serveJwks(() => [key]);
    server = await startLocalFhirServer();
    acme = server.addBase('t-acme');
    await acme.seed(demoFhirResources('t-acme', NOW));
    call = await connectClient(acme, {
      key,
      jwksUrl: jwks.url,
      scopes: ['system/Patient.rsu', 'system/Appointment.cruds'],
    });
  });

  afterAll(async () => {
    await server?.close();
    await jwks?.close();
  });

  it('reads a seeded patient under its own id with meta.versionId and a matching ETag', async () => {
    const response = await call('Patient/p-001');
    const patient = (await response.json()) as Patient;

    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toBe('application/fhir+json');
    expect(patient.name?.[0]).toMatchObject({
      family: 'McTestface',
      given: ['Testy'],
      text: 'Testy McTestface (synthetic)',
    });
    expect(response.headers.get('etag')).toBe(`W/"${patient.meta?.versionId}"`);
  });

  it('searches patients by family, birthdate and identifier', async () => {
    const stubbs = await searchIds('family=Stubbs');
    const born = await searchIds('birthdate=1950-01-01');
    const byMrn = await searchIds(`identifier=${encodeURIComponent(`${DEMO_MRN_SYSTEM}|MRN-003`)}`);

    expect(stubbs).toEqual(['p-005', 'p-011']);
    expect(born).toEqual(['p-001']);
    expect(byMrn).toEqual(['p-003']);
  });

  it('pages through more than one page by following absolute next links', async () => {
    const seen: string[] = [];
    let next: string | undefined = `${acme.baseUrl}/Patient?_count=5`;
    let pages = 0;

    while (next) {
      const bundle = (await (await call(next)).json()) as Bundle<Patient>;
      seen.push(...(bundle.entry ?? []).map((entry) => entry.resource?.id as string));
      next = bundle.link?.find((link) => link.relation === 'next')?.url;
      if (next) expect(next.startsWith(`${acme.baseUrl}/Patient?`)).toBe(true);
      pages += 1;
    }

    expect(pages).toBe(3);
    expect(seen).toHaveLength(12);
    expect(new Set(seen).size).toBe(12);
  });

  it('finds appointments by patient', async () => {
    const bundle = (await (await call('Appointment?patient=Patient/p-002')).json()) as Bundle<Appointment>;

    expect(bundle.entry?.map((entry) => entry.resource?.id)).toEqual(['a-002']);
    expect(bundle.entry?.[0]?.resource?.status).toBe('booked');
  });

  it('updates with the current If-Match, refuses a stale one with 412, and keeps both versions in _history', async () => {
    const current = (await (await call('Patient/p-004')).json()) as Patient;
    const ifMatch = `W/"${current.meta?.versionId}"`;

    const updated = await call('Patient/p-004', {
      method: 'PUT',
      body: { ...current, gender: 'other' },
      headers: { 'if-match': ifMatch },
    });
    const stale = await call('Patient/p-004', {
      method: 'PUT',
      body: { ...current, gender: 'male' },
      headers: { 'if-match': ifMatch },
    });
    const history = (await (await call('Patient/p-004/_history')).json()) as Bundle<Patient>;
    const first = await call(`Patient/p-004/_history/${current.meta?.versionId}`);

    expect(updated.status).toBe(200);
    expect(updated.headers.get('etag')).not.toBe(ifMatch);
    expect(stale.status).toBe(412);
    expect(history.entry).toHaveLength(2);
    expect(((await first.json()) as Patient).gender).toBe(current.gender);
  });

  it('creates an appointment with 201, Location and ETag', async () => {
    const response = await call('Appointment', {
      method: 'POST',
      body: {
        resourceType: 'Appointment',
        id: 'chosen-by-client',
        status: 'booked',
        start: '2026-03-10T09:00:00Z',
        end: '2026-03-10T09:30:00Z',
        participant: [{ actor: { reference: 'Patient/p-001' }, status: 'accepted' }],
      },
    });
    const created = (await response.json()) as Appointment;

    expect(response.status).toBe(201);
    expect(created.id).not.toBe('chosen-by-client');
    expect(response.headers.get('location')).toBe(
      `${acme.baseUrl}/Appointment/${created.id}/_history/${created.meta?.versionId}`,
    );
    expect(response.headers.get('etag')).toBe(`W/"${created.meta?.versionId}"`);
  });

  it('answers injected 429s with Retry-After and a canary outcome, then serves again', async () => {
    acme.injectFaults({ status: 429, count: 2, retryAfterSeconds: 1, path: 'Patient/p-001' });

    const first = await call('Patient/p-001');
    const other = await call('Patient/p-002');
    const second = await call('Patient/p-001');
    const third = await call('Patient/p-001');

    expect(first.status).toBe(429);
    expect(first.headers.get('retry-after')).toBe('1');
    expect(JSON.stringify(await first.json())).toContain(FAULT_CANARY_NAME);
    expect(other.status).toBe(200);
    expect(second.status).toBe(429);
    expect(third.status).toBe(200);
  });

  it('refuses a body that is not JSON or larger than 1 MiB', async () => {
    const notJson = await call('Patient', {
      method: 'POST',
      body: 'x',
      headers: { 'content-type': 'text/plain' },
    });
    const tooLarge = await call('Patient', {
      method: 'POST',
      body: { resourceType: 'Patient', text: { status: 'generated', div: 'x'.repeat(1024 * 1024 + 1) } },
    });

    expect(notJson.status).toBe(415);
    expect(tooLarge.status).toBe(413);
  });
});
