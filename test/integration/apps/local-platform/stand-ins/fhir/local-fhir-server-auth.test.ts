import type { CapabilityStatement } from '@medplum/fhirtypes';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { FhirBase } from '../../../../../../apps/local-platform/stand-ins/fhir/fhir-base.ts';
import {
  type LocalFhirServer,
  startLocalFhirServer,
} from '../../../../../../apps/local-platform/stand-ins/fhir/local-fhir-server.ts';
import {
  generateSigningKey,
  requestToken,
  serveJwks,
  signClientAssertion,
  type TestSigningKey,
} from '../../../../../support/smart-backend-client.ts';

const SCOPES = 'system/Patient.rs system/Appointment.cruds';

describe('the local FHIR stand-in: open endpoints, SMART Backend Services tokens and scopes', () => {
  let server: LocalFhirServer;
  let acme: FhirBase;
  let globex: FhirBase;
  let es384: TestSigningKey;
  let rs384: TestSigningKey;
  let stranger: TestSigningKey;
  let jwks: Awaited<ReturnType<typeof serveJwks>>;

  const tokenFor = async (base: FhirBase, key: TestSigningKey, clientId = 'acme-client', scope = SCOPES) =>
    requestToken(
      base.tokenEndpoint,
      await signClientAssertion(key, { clientId, audience: base.tokenEndpoint }),
      scope,
    );

  beforeAll(async () => {
    [es384, rs384, stranger] = await Promise.all([
      generateSigningKey('ES384'),
      generateSigningKey('RS384'),
      generateSigningKey('ES384'),
    ]);
    jwks = await serveJwks(() => [es384, rs384]);
    server = await startLocalFhirServer();
    acme = server.addBase('t-acme');
    globex = server.addBase('t-globex');
    acme.registerClient({
      clientId: 'acme-client',
      jwksUrl: jwks.url,
      scopes: ['system/Patient.rs', 'system/Appointment.cruds'],
    });
    acme.registerClient({ clientId: 'reader', jwksUrl: jwks.url, scopes: ['system/Patient.r'] });
    globex.registerClient({ clientId: 'globex-client', jwksUrl: jwks.url, scopes: ['system/Patient.rs'] });
    await acme.seed([
      { resourceType: 'Patient', id: 'p-001', name: [{ family: 'Stubbs', given: ['Demo'] }] },
    ]);
  });

  afterAll(async () => {
    await server?.close();
    await jwks?.close();
  });

  it('serves the CapabilityStatement and the SMART configuration without a token', async () => {
    const metadata = await fetch(`${acme.baseUrl}/metadata`);
    const smart = await fetch(`${acme.baseUrl}/.well-known/smart-configuration`);

    expect(metadata.status).toBe(200);
    const statement = (await metadata.json()) as CapabilityStatement;
    expect(statement.resourceType).toBe('CapabilityStatement');
    expect(statement.fhirVersion).toBe('4.0.1');
    expect(statement.rest?.[0]?.security?.service?.[0]?.coding?.[0]?.code).toBe('SMART-on-FHIR');
    expect(statement.rest?.[0]?.resource?.map((resource) => resource.type)).toEqual(
      expect.arrayContaining(['Patient', 'Appointment']),
    );
    expect(smart.status).toBe(200);
    expect(await smart.json()).toMatchObject({
      token_endpoint: acme.tokenEndpoint,
      grant_types_supported: ['client_credentials'],
      token_endpoint_auth_methods_supported: ['private_key_jwt'],
      token_endpoint_auth_signing_alg_values_supported: ['ES384', 'RS384'],
      capabilities: expect.arrayContaining(['client-confidential-asymmetric', 'permission-v2']),
    });
  });

  it('answers 401 with an OperationOutcome and WWW-Authenticate when there is no token', async () => {
    const response = await fetch(`${acme.baseUrl}/Patient/p-001`);

    expect(response.status).toBe(401);
    expect(response.headers.get('www-authenticate')).toMatch(/^Bearer/);
    expect(((await response.json()) as { resourceType: string }).resourceType).toBe('OperationOutcome');
  });

  it.each(['ES384', 'RS384'] as const)(
    'issues a token for a %s client assertion and serves FHIR with it',
    async (alg) => {
      const token = await tokenFor(acme, alg === 'ES384' ? es384 : rs384);

      expect(token.status).toBe(200);
      expect(token.body).toMatchObject({ token_type: 'bearer', expires_in: 300, scope: SCOPES });
      const read = await fetch(`${acme.baseUrl}/Patient/p-001`, {
        headers: { authorization: `Bearer ${token.body.access_token}` },
      });
      expect(read.status).toBe(200);
      expect(read.headers.get('etag')).toMatch(/^W\/"[^"]+"$/);
    },
  );

  it('refuses a replayed jti with invalid_grant', async () => {
    const assertion = await signClientAssertion(es384, {
      clientId: 'acme-client',
      audience: acme.tokenEndpoint,
    });

    const first = await requestToken(acme.tokenEndpoint, assertion, SCOPES);
    const replay = await requestToken(acme.tokenEndpoint, assertion, SCOPES);

    expect(first.status).toBe(200);
    expect(replay).toMatchObject({ status: 400, body: { error: 'invalid_grant' } });
  });

  it('refuses an assertion signed with a key the JWKS does not publish, and an unknown client', async () => {
    const wrongKey = await tokenFor(acme, stranger);
    const unknownClient = await tokenFor(acme, es384, 'nobody');

    expect(wrongKey).toMatchObject({ status: 401, body: { error: 'invalid_client' } });
    expect(unknownClient).toMatchObject({ status: 401, body: { error: 'invalid_client' } });
  });

  it('refuses an assertion for another audience or living longer than 5 minutes', async () => {
    const otherAudience = await requestToken(
      acme.tokenEndpoint,
      await signClientAssertion(es384, { clientId: 'acme-client', audience: globex.tokenEndpoint }),
      SCOPES,
    );
    const tooLong = await requestToken(
      acme.tokenEndpoint,
      await signClientAssertion(es384, {
        clientId: 'acme-client',
        audience: acme.tokenEndpoint,
        expiresInSeconds: 900,
      }),
      SCOPES,
    );

    expect(otherAudience).toMatchObject({ status: 400, body: { error: 'invalid_grant' } });
    expect(tooLong).toMatchObject({ status: 400, body: { error: 'invalid_grant' } });
  });

  it('grants only the registered scopes and answers 403 for an interaction they do not cover', async () => {
    const token = await tokenFor(acme, es384, 'reader', 'system/Patient.rs system/Appointment.c');
    const headers = { authorization: `Bearer ${token.body.access_token}` };

    const read = await fetch(`${acme.baseUrl}/Patient/p-001`, { headers });
    const search = await fetch(`${acme.baseUrl}/Patient?family=Stubbs`, { headers });
    const create = await fetch(`${acme.baseUrl}/Appointment`, {
      method: 'POST',
      headers: { ...headers, 'content-type': 'application/fhir+json' },
      body: JSON.stringify({ resourceType: 'Appointment', status: 'booked', participant: [] }),
    });

    expect(token.body.scope).toBe('system/Patient.r');
    expect(read.status).toBe(200);
    expect(search.status).toBe(403);
    expect(create.status).toBe(403);
  });

  it('invalidates every issued token on revokeTokens', async () => {
    const token = await tokenFor(acme, es384);
    acme.revokeTokens();

    const read = await fetch(`${acme.baseUrl}/Patient/p-001`, {
      headers: { authorization: `Bearer ${token.body.access_token}` },
    });

    expect(read.status).toBe(401);
  });

  it('keeps bases apart: another base neither accepts the token nor holds the resources', async () => {
    const acmeToken = await tokenFor(acme, es384);
    const globexToken = await tokenFor(globex, es384, 'globex-client', 'system/Patient.rs');

    const acmeTokenAtGlobex = await fetch(`${globex.baseUrl}/Patient/p-001`, {
      headers: { authorization: `Bearer ${acmeToken.body.access_token}` },
    });
    const globexRead = await fetch(`${globex.baseUrl}/Patient/p-001`, {
      headers: { authorization: `Bearer ${globexToken.body.access_token}` },
    });
    const acmeClientAtGlobex = await tokenFor(globex, es384, 'acme-client');

    expect(acmeTokenAtGlobex.status).toBe(401);
    expect(globexRead.status).toBe(404);
    expect(acmeClientAtGlobex.status).toBe(401);
    expect(server.base('t-globex')).toBe(globex);
  });

  it('answers 401 with invalid_token once a token outlives tokenLifetimeSeconds', async () => {
    acme.tokenLifetimeSeconds = 0;
    const token = await tokenFor(acme, es384);
    acme.tokenLifetimeSeconds = 300;

    const read = await fetch(`${acme.baseUrl}/Patient/p-001`, {
      headers: { authorization: `Bearer ${token.body.access_token}` },
    });

    expect(token.body.expires_in).toBe(0);
    expect(read.status).toBe(401);
    expect(read.headers.get('www-authenticate')).toBe('Bearer error="invalid_token"');
  });

  it('counts token requests per base', async () => {
    const before = globex.tokenRequests;

    await tokenFor(globex, es384, 'globex-client', 'system/Patient.rs');

    expect(globex.tokenRequests).toBe(before + 1);
  });
});
