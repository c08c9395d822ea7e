import { randomUUID } from 'node:crypto';
import { beforeAll, describe, expect, it } from 'vitest';
import { ehrConnectionHandlerFor } from '../../../../functions/ehr-connection/wiring.ts';
import { DnsEhrEndpointGuard } from '../../../../shared/adapters/egress/ehr-endpoint-guard.ts';
import { JoseEhrSigningKeys } from '../../../../shared/adapters/jose-ehr-signing-keys.ts';
import type { Caller } from '../../../../shared/auth/caller.ts';
import { createTokenVerifier } from '../../../../shared/auth/token-verifier.ts';
import { EhrConnectionService } from '../../../../shared/services/ehr/ehr-connection-service.ts';
import { httpEvent } from '../../../support/api-gateway-events.ts';
import { FakeEhrSubscriptions } from '../../../support/ehr-notification-harness.ts';
import { privateMembersIn } from '../../../support/ehr-signing-assertions.ts';
import {
  FakeEhrConnectionProbe,
  InMemoryEhrConnectionRepository,
  InMemoryEhrKeySetStore,
} from '../../../support/fakes/in-memory-ehr-connections.ts';
import { InMemoryOutbox } from '../../../support/fakes/in-memory-outbox.ts';
import { createTestIssuer, TEST_AUDIENCE, TEST_ISSUER } from '../../../support/test-issuer.ts';

const context = {} as never;
const SETTINGS = {
  fhirBaseUrl: 'https://ehr.example.org/fhir/R4',
  clientId: 'gradiant-acme',
  tokenEndpoint: 'https://ehr.example.org/oauth/token',
  scopes: ['system/Patient.rs'],
};

describe('ehr-connection handler', () => {
  let issuer: Awaited<ReturnType<typeof createTestIssuer>>;
  let handler: ReturnType<typeof ehrConnectionHandlerFor>;
  const outbox = new InMemoryOutbox();
  const connections = new InMemoryEhrConnectionRepository(outbox);
  const signingKeys = new JoseEhrSigningKeys(new InMemoryEhrKeySetStore());
  const probe = new FakeEhrConnectionProbe();
  const auditTrail = { outbox, ids: { next: () => randomUUID() }, clock: { now: () => new Date() } };
  const endpointGuard = new DnsEhrEndpointGuard({ resolve: async () => ['93.184.215.14'] });

  beforeAll(async () => {
    issuer = await createTestIssuer();
    handler = ehrConnectionHandlerFor({
      verifier: createTokenVerifier({ issuer: TEST_ISSUER, audience: TEST_AUDIENCE, jwks: issuer.jwks }),
      requestAudit: auditTrail,
      signingKeys,
      ehrConnectionServiceFor: (caller: Caller, requestId: string) =>
        new EhrConnectionService({
          tenantId: caller.tenantId,
          actorId: caller.userId,
          requestId,
          connections,
          signingKeys,
          probe,
          subscriptions: new FakeEhrSubscriptions(),
          endpointGuard,
          auditTrail,
          publicApiBaseUrl: 'https://api.example.org',
          probeTimeoutMs: 1000,
        }),
    });
  });

  const call = async (
    routeKey: string,
    options: { tenant?: string; scopes?: string[]; body?: unknown; headers?: Record<string, string> } = {},
  ) => {
    const token = await issuer.token(
      options.tenant ?? 't-acme',
      options.scopes ?? ['plugins:admin'],
      'admin-1',
    );
    const result = await handler(
      httpEvent(routeKey, {
        headers: { authorization: `Bearer ${token}`, ...options.headers },
        ...(options.body === undefined ? {} : { body: options.body }),
      }),
      context,
    );
    return { ...result, json: result.body ? JSON.parse(result.body) : undefined };
  };

  const jwks = async (tenantId: string) => {
    const routeKey = 'GET /v1/tenants/{tenantId}/ehr-connection/jwks.json';
    const result = await handler(
      httpEvent(routeKey, {
        path: `/v1/tenants/${tenantId}/ehr-connection/jwks.json`,
        pathParameters: { tenantId },
      }),
      context,
    );
    return { ...result, json: result.body ? JSON.parse(result.body) : undefined };
  };

  it('answers a problem with EHR_CONNECTION_NOT_FOUND before any connection exists', async () => {
    const answer = await call('GET /v1/tenant/ehr-connection', { tenant: 't-none' });

    expect(answer.statusCode).toBe(404);
    expect(answer.headers?.['content-type']).toBe('application/problem+json');
    expect(answer.json).toMatchObject({ code: 'EHR_CONNECTION_NOT_FOUND', status: 404 });
  });

  it('creates with 201 and an ETag, then requires If-Match to replace', async () => {
    const created = await call('PUT /v1/tenant/ehr-connection', { body: SETTINGS });
    const blind = await call('PUT /v1/tenant/ehr-connection', { body: SETTINGS });
    const replaced = await call('PUT /v1/tenant/ehr-connection', {
      body: { ...SETTINGS, clientId: 'renamed' },
      headers: { 'if-match': '"1"' },
    });
    const read = await call('GET /v1/tenant/ehr-connection');

    expect([created.statusCode, created.headers?.etag]).toEqual([201, '"1"']);
    expect(created.json).toMatchObject({
      signingAlgorithm: 'ES384',
      jwksUrl: 'https://api.example.org/v1/tenants/t-acme/ehr-connection/jwks.json',
    });
    expect([blind.statusCode, blind.json.code]).toEqual([428, 'PRECONDITION_REQUIRED']);
    expect([replaced.statusCode, replaced.headers?.etag, replaced.json.clientId]).toEqual([
      200,
      '"2"',
      'renamed',
    ]);
    expect(read.json).toEqual(replaced.json);
    expect(privateMembersIn([created.json, read.json])).toEqual([]);
  });

  it('refuses a private or plain-http URL as 400 naming the field', async () => {
    const http = await call('PUT /v1/tenant/ehr-connection', {
      tenant: 't-http',
      body: { ...SETTINGS, fhirBaseUrl: 'http://ehr.example.org/fhir' },
    });
    const metadata = await call('PUT /v1/tenant/ehr-connection', {
      tenant: 't-meta',
      body: { ...SETTINGS, tokenEndpoint: 'https://169.254.169.254/token' },
    });

    expect([http.statusCode, http.json.code, http.json.errors[0].field]).toEqual([
      400,
      'VALIDATION_FAILED',
      'body.fhirBaseUrl',
    ]);
    expect([metadata.statusCode, metadata.json.errors[0].field]).toEqual([400, 'body.tokenEndpoint']);
  });

  it('needs plugins:admin', async () => {
    const answer = await call('GET /v1/tenant/ehr-connection', { scopes: ['plugins:read'] });

    expect([answer.statusCode, answer.json.code]).toEqual([403, 'FORBIDDEN']);
  });

  it('serves the public JWKS without a token, cacheable, with public members only', async () => {
    await call('PUT /v1/tenant/ehr-connection', { tenant: 't-jwks', body: SETTINGS });

    const answer = await jwks('t-jwks');

    expect(answer.statusCode).toBe(200);
    expect(answer.headers).toMatchObject({
      'cache-control': 'public, max-age=300',
      'content-type': 'application/jwk-set+json',
    });
    expect(answer.json.keys).toEqual([expect.objectContaining({ kty: 'EC', crv: 'P-384', use: 'sig' })]);
    expect(privateMembersIn(answer.json)).toEqual([]);
  });

  it('answers an unknown tenant the same empty set as a tenant without keys', async () => {
    const unknown = await jwks('t-never-heard-of');
    const invalid = await jwks('NOT A TENANT');

    expect([unknown.statusCode, unknown.json]).toEqual([200, { keys: [] }]);
    expect([invalid.statusCode, invalid.json.code]).toEqual([400, 'VALIDATION_FAILED']);
  });

  it('reports the connection test, and 404 for a tenant without a connection', async () => {
    await call('PUT /v1/tenant/ehr-connection', { tenant: 't-test', body: SETTINGS });

    const tested = await call('POST /v1/tenant/ehr-connection/test', { tenant: 't-test' });
    const none = await call('POST /v1/tenant/ehr-connection/test', { tenant: 't-nothing' });

    expect([tested.statusCode, tested.json.ok, tested.json.token.ok]).toEqual([200, true, true]);
    expect([none.statusCode, none.json.code]).toEqual([404, 'EHR_CONNECTION_NOT_FOUND']);
  });

  it('records api:request for every route, the public one included', async () => {
    const before = outbox.records.filter((record) => record.action === 'api:request').length;

    await call('GET /v1/tenant/ehr-connection');
    await jwks('t-acme');

    expect(outbox.records.filter((record) => record.action === 'api:request').length).toBe(before + 2);
  });
});
