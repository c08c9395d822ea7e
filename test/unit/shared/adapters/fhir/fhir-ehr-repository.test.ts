import { describe, expect, it } from 'vitest';
import { FhirEhrRepository } from '../../../../../shared/adapters/fhir/fhir-ehr-repository.ts';
import { BACKPORT_PAYLOAD_CONTENT } from '../../../../../shared/adapters/fhir/fhir-subscriptions.ts';
import { FhirTenantClient } from '../../../../../shared/adapters/fhir/fhir-tenant-client.ts';
import { SmartBackendTokens } from '../../../../../shared/adapters/fhir/smart-backend-tokens.ts';
import type { EhrConnection } from '../../../../../shared/domain/ehr-connection.ts';
import type { TenantId } from '../../../../../shared/domain/identifiers.ts';
import type { EhrConnectionRepository } from '../../../../../shared/ports/ehr-connection-repository.ts';
import {
  ehrConnection,
  FakeFhirServer,
  FHIR_BASE,
  fakeHttpClient,
  json,
  ManualClock,
  type RecordedRequest,
  TOKEN_ENDPOINT,
} from '../../../../support/fake-fhir-server.ts';
import { FakeEhrSigningKeys } from '../../../../support/fakes/fake-ehr-signing-keys.ts';
import { fhirFixture } from '../../../../support/fhir-fixtures.ts';

const OUTCOME_CANARY = 'Jane Testperson';

function setup(
  route: (request: RecordedRequest, path: string) => ReturnType<typeof json> | Error,
  connection: EhrConnection | null = ehrConnection(),
  connectionCacheMs?: number,
) {
  const clock = new ManualClock();
  let tokenCount = 0;
  const server = new FakeFhirServer((request) => {
    if (request.url === TOKEN_ENDPOINT)
      return json(200, { access_token: `token-${++tokenCount}`, token_type: 'bearer', expires_in: 3600 });
    return route(request, request.url.slice(FHIR_BASE.length + 1));
  });
  let connectionReads = 0;
  const connections: EhrConnectionRepository = {
    get: async () => {
      connectionReads += 1;
      return connection ?? undefined;
    },
    put: async () => {
      throw new Error('not used');
    },
  };
  const http = fakeHttpClient(server, clock);
  const tokens = new SmartBackendTokens({ http, signingKeys: new FakeEhrSigningKeys(), clock });
  const repository = new FhirEhrRepository({
    connections,
    client: new FhirTenantClient({ http, tokens }),
    clock,
    connectionCacheMs,
  });
  const scope = { tenantId: 't-acme' as TenantId, deadlineAt: clock.current + 120_000 };
  const fhirRequests = () => server.requests.filter((request) => request.url !== TOKEN_ENDPOINT);
  return { clock, server, repository, scope, fhirRequests, connectionReads: () => connectionReads };
}

describe('FhirEhrRepository', () => {
  it('reads the connection on every call when told not to cache it (the connection routes)', async () => {
    const { repository, scope, connectionReads } = setup(() => json(404), ehrConnection(), 0);

    await repository.getPatient(scope, 'p-1');
    await repository.getPatient(scope, 'p-1');

    expect(connectionReads()).toBe(2);
  });

  it('fails not connected when the tenant registered no connection', async () => {
    const { repository, scope } = setup(() => json(500), null);

    await expect(repository.getPatient(scope, 'p1')).rejects.toMatchObject({ code: 'EHR_NOT_CONNECTED' });
  });

  it('reads with a bearer token, answers undefined for 404 and 410, and caches the connection', async () => {
    const { repository, scope, fhirRequests, connectionReads, clock } = setup((_request, path) =>
      path === 'Patient/pat-1001'
        ? json(200, fhirFixture('patient-full'))
        : json(path === 'Patient/gone' ? 410 : 404),
    );

    const found = await repository.getPatient(scope, 'pat-1001');
    const missing = await repository.getPatient(scope, 'nope');
    const gone = await repository.getPatient(scope, 'gone');
    clock.advance(31_000);
    await repository.getPatient(scope, 'nope');

    expect(found).toMatchObject({ id: 'pat-1001', family: 'Testperson' });
    expect(missing).toBeUndefined();
    expect(gone).toBeUndefined();
    expect(fhirRequests()[0]?.headers.authorization).toBe('Bearer token-1');
    expect(connectionReads()).toBe(2);
  });

  it('maps search criteria to FHIR parameters and follows next links under the base until the limit', async () => {
    const { repository, scope, fhirRequests } = setup((request) =>
      request.url.includes('_page_token=p2')
        ? json(200, fhirFixture('bundle-patients-page2'))
        : json(200, fhirFixture('bundle-patients-page1')),
    );

    const patients = await repository.searchPatients(scope, {
      family: 'Testperson',
      birthDate: '1974',
      gender: 'female',
      identifier: 'urn:x|1',
      limit: 3,
    });

    expect(patients.map((patient) => patient.id)).toEqual(['pat-1001', 'pat-1002', 'pat-1003']);
    const first = new URL(fhirRequests()[0]?.url ?? '');
    expect(Object.fromEntries(first.searchParams)).toEqual({
      family: 'Testperson',
      birthdate: '1974',
      gender: 'female',
      identifier: 'urn:x|1',
      _count: '3',
    });
    expect(fhirRequests()).toHaveLength(2);
  });

  it('stops at the limit without reading the next page', async () => {
    const { repository, scope, fhirRequests } = setup(() => json(200, fhirFixture('bundle-patients-page1')));

    const patients = await repository.searchPatients(scope, { family: 'Testperson', limit: 2 });

    expect(patients).toHaveLength(2);
    expect(fhirRequests()).toHaveLength(1);
  });

  it('does not follow a next link that leaves the connection base', async () => {
    const page = fhirFixture<{ link: { relation: string; url: string }[] }>('bundle-patients-page1');
    page.link[1] = { relation: 'next', url: 'https://attacker.example.net/fhir/R4/Patient?page=2' };
    const { repository, scope, server } = setup(() => json(200, page));

    const patients = await repository.searchPatients(scope, { family: 'Testperson' });

    expect(patients).toHaveLength(2);
    expect(server.requests.some((request) => request.url.includes('attacker'))).toBe(false);
  });

  it('updates with If-Match on the version read and keeps the fields it did not change', async () => {
    const stored = fhirFixture<Record<string, unknown>>('patient-full');
    const { repository, scope, fhirRequests } = setup((request) =>
      request.method === 'GET'
        ? json(200, stored)
        : json(200, { ...JSON.parse(request.body ?? '{}'), meta: { versionId: '8' } }),
    );

    const updated = await repository.updatePatient(scope, 'pat-1001', { gender: 'other' });

    const put = fhirRequests()[1];
    expect(put?.method).toBe('PUT');
    expect(put?.headers['if-match']).toBe('W/"7"');
    expect(JSON.parse(put?.body ?? '{}')).toEqual({ ...stored, gender: 'other' });
    expect(updated).toMatchObject({ id: 'pat-1001', gender: 'other', versionId: '8' });
  });

  it('fails conflict on 412 without repeating the OperationOutcome', async () => {
    const { repository, scope } = setup((request) =>
      request.method === 'GET'
        ? json(200, fhirFixture('patient-full'))
        : json(412, fhirFixture('operation-outcome-conflict')),
    );

    const error = (await repository
      .updatePatient(scope, 'pat-1001', { gender: 'other' })
      .catch((caught: unknown) => caught)) as Error;

    expect(error).toMatchObject({
      code: 'EHR_CONFLICT',
      message: 'Patient/pat-1001 changed in the EHR since it was read.',
    });
    expect(JSON.stringify(error, Object.getOwnPropertyNames(error))).not.toContain(OUTCOME_CANARY);
  });

  it('refreshes the token once on 401, then fails refused', async () => {
    const { repository, scope, server } = setup(() => json(401));

    await expect(repository.getPatient(scope, 'p1')).rejects.toMatchObject({
      code: 'EHR_REFUSED',
      message: expect.stringContaining('401'),
    });
    expect(server.requests.map((request) => request.url === TOKEN_ENDPOINT)).toEqual([
      true,
      false,
      true,
      false,
    ]);
    expect(server.requests[3]?.headers.authorization).toBe('Bearer token-2');
  });

  it('maps 403, 422, 429 and 503 to their EHR errors', async () => {
    for (const [status, code] of [
      [403, 'EHR_REFUSED'],
      [422, 'EHR_REJECTED'],
      [429, 'EHR_RATE_LIMITED'],
      [503, 'EHR_UNAVAILABLE'],
    ] as const) {
      const { repository, scope } = setup(() =>
        json(status, fhirFixture('operation-outcome-invalid'), { 'retry-after': '120' }),
      );

      await expect(repository.getAppointment(scope, 'a1')).rejects.toMatchObject({ code });
    }
  });

  it('creates a booked appointment and answers it from the response body', async () => {
    const { repository, scope, fhirRequests } = setup((request) =>
      json(201, { ...JSON.parse(request.body ?? '{}'), id: 'new-1', meta: { versionId: '1' } }),
    );

    const created = await repository.createAppointment(scope, {
      patientId: 'pat-1001',
      start: '2026-12-10T09:00:00Z',
      end: '2026-12-10T09:30:00Z',
    });

    expect(fhirRequests()[0]).toMatchObject({ method: 'POST', url: `${FHIR_BASE}/Appointment` });
    expect(created).toMatchObject({ id: 'new-1', status: 'booked', patientId: 'pat-1001', versionId: '1' });
  });

  it('reads the created appointment from Location when the answer has no body', async () => {
    const { repository, scope } = setup((request) =>
      request.method === 'POST'
        ? json(201, undefined, { Location: `${FHIR_BASE}/Appointment/new-2/_history/1` })
        : json(200, { ...fhirFixture<Record<string, unknown>>('appointment-booked'), id: 'new-2' }),
    );

    const created = await repository.createAppointment(scope, {
      patientId: 'pat-1001',
      start: '2026-12-10T09:00:00Z',
      end: '2026-12-10T09:30:00Z',
    });

    expect(created.id).toBe('new-2');
  });

  it('changes an appointment as decided, with If-Match', async () => {
    const { repository, scope, fhirRequests } = setup((request) =>
      request.method === 'GET'
        ? json(200, fhirFixture('appointment-booked'))
        : json(200, JSON.parse(request.body ?? '{}')),
    );

    const changed = await repository.changeAppointment(scope, 'appt-501', (current) => {
      expect(current.status).toBe('booked');
      return { status: 'cancelled', cancellationReason: 'clinic closed' };
    });

    expect(fhirRequests()[1]?.headers['if-match']).toBe('W/"3"');
    expect(changed).toMatchObject({ status: 'cancelled', cancellationReason: 'clinic closed' });
  });

  it('lets the decide rule refuse before anything is written', async () => {
    const { repository, scope, fhirRequests } = setup(() => json(200, fhirFixture('appointment-cancelled')));

    await expect(
      repository.changeAppointment(scope, 'appt-502', () => {
        throw new Error('cancelled cannot move');
      }),
    ).rejects.toThrow('cancelled cannot move');
    expect(fhirRequests().map((request) => request.method)).toEqual(['GET']);
  });

  it('creates one id-only rest-hook subscription per watched type and replaces an existing one', async () => {
    const hook = {
      endpoint: 'https://api.example.com/v1/ehr/notifications/t-acme',
      headerName: 'X-Gradiant-Secret',
      secret: 's3cret',
    };
    const { repository, scope, fhirRequests } = setup((request) => {
      if (request.method === 'GET') {
        return json(200, {
          resourceType: 'Bundle',
          entry: [
            {
              resource: {
                resourceType: 'Subscription',
                id: 'sub-p',
                criteria: 'Patient?',
                channel: { type: 'rest-hook', endpoint: hook.endpoint },
              },
            },
          ],
        });
      }
      return json(request.method === 'POST' ? 201 : 200, {
        ...JSON.parse(request.body ?? '{}'),
        id: request.method === 'POST' ? 'sub-a' : 'sub-p',
      });
    });

    const ids = await repository.ensure(scope, hook);

    expect(ids).toEqual(['sub-p', 'sub-a']);
    const [search, put, post] = fhirRequests();
    expect(new URL(search?.url ?? '').searchParams.get('url')).toBe(hook.endpoint);
    expect(put).toMatchObject({ method: 'PUT', url: `${FHIR_BASE}/Subscription/sub-p` });
    expect(JSON.parse(post?.body ?? '{}')).toEqual({
      resourceType: 'Subscription',
      status: 'requested',
      reason: expect.any(String),
      criteria: 'Appointment?',
      channel: {
        type: 'rest-hook',
        endpoint: hook.endpoint,
        payload: 'application/fhir+json',
        _payload: { extension: [{ url: BACKPORT_PAYLOAD_CONTENT, valueCode: 'id-only' }] },
        header: ['X-Gradiant-Secret: s3cret'],
      },
    });
  });

  it('reads a watched record, and nothing for an appointment without a patient', async () => {
    const { repository, scope } = setup((_request, path) =>
      path.startsWith('Patient/')
        ? json(200, fhirFixture('patient-sparse'))
        : json(200, fhirFixture('appointment-no-patient')),
    );

    expect(await repository.read(scope, 'Patient', 'pat-2002')).toMatchObject({
      type: 'Patient',
      record: { id: 'pat-2002' },
    });
    expect(await repository.read(scope, 'Appointment', 'appt-503')).toBeUndefined();
  });
});
