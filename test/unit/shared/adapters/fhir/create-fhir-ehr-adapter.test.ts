import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createFhirEhrAdapter } from '../../../../../shared/adapters/fhir/create-fhir-ehr-adapter.ts';
import type { TenantId } from '../../../../../shared/domain/identifiers.ts';
import { ehrConnection } from '../../../../support/fake-fhir-server.ts';
import { FakeEhrSigningKeys } from '../../../../support/fakes/fake-ehr-signing-keys.ts';
import { fhirFixture } from '../../../../support/fhir-fixtures.ts';

const readBody = (request: IncomingMessage) =>
  new Promise<string>((resolve) => {
    let body = '';
    request.on('data', (chunk) => {
      body += chunk;
    });
    request.on('end', () => resolve(body));
  });

describe('createFhirEhrAdapter over a loopback FHIR server', () => {
  let server: Server;
  let origin: string;
  const seen: { method: string; url: string; authorization?: string; body: string }[] = [];

  beforeAll(async () => {
    server = createServer(async (request, response) => {
      const body = await readBody(request);
      seen.push({
        method: request.method ?? '',
        url: request.url ?? '',
        authorization: request.headers.authorization,
        body,
      });
      response.setHeader('content-type', 'application/json');
      if (request.url === '/token') {
        response.end(JSON.stringify({ access_token: 'local-token', token_type: 'Bearer', expires_in: 300 }));
      } else if (request.url === '/fhir/Patient/pat-1001') {
        response.end(JSON.stringify(fhirFixture('patient-full')));
      } else {
        response.statusCode = 404;
        response.end();
      }
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });

  afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

  it('gets a token with a form post and reads a patient with it, through the guarded transport', async () => {
    const connection = ehrConnection({
      fhirBaseUrl: `${origin}/fhir`,
      resolvedTokenEndpoint: `${origin}/token`,
    });
    const { repository } = createFhirEhrAdapter({
      connections: { get: async () => connection, put: async () => connection },
      signingKeys: new FakeEhrSigningKeys(),
      clock: { now: () => new Date() },
      allowedLoopbackOrigins: [origin],
    });
    const scope = { tenantId: 't-acme' as TenantId, deadlineAt: Date.now() + 5_000 };

    const patient = await repository.getPatient(scope, 'pat-1001');

    expect(patient).toMatchObject({ id: 'pat-1001', family: 'Testperson' });
    expect(seen[0]).toMatchObject({ method: 'POST', url: '/token' });
    expect(new URLSearchParams(seen[0]?.body).get('grant_type')).toBe('client_credentials');
    expect(seen[1]).toMatchObject({
      method: 'GET',
      url: '/fhir/Patient/pat-1001',
      authorization: 'Bearer local-token',
    });
  });

  it('refuses the same loopback server when its origin is not allowed', async () => {
    const connection = ehrConnection({
      fhirBaseUrl: `${origin}/fhir`,
      resolvedTokenEndpoint: `${origin}/token`,
    });
    const { repository } = createFhirEhrAdapter({
      connections: { get: async () => connection, put: async () => connection },
      signingKeys: new FakeEhrSigningKeys(),
      clock: { now: () => new Date() },
    });

    await expect(
      repository.getPatient({ tenantId: 't-acme' as TenantId, deadlineAt: Date.now() + 5_000 }, 'pat-1001'),
    ).rejects.toMatchObject({
      code: 'EHR_UNAVAILABLE',
      message: expect.stringContaining('address not allowed'),
    });
  });
});
