import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { privateMembersIn } from '../support/ehr-signing-assertions.ts';
import { type InProcessPlatform, startLocalPlatformInProcess } from '../support/local-platform-in-process.ts';

type Problem = { code: string; errors: { field: string }[] };

/** The FHIR stand-in's origin as the local platform lets it through; nothing listens there in this test. */
const STAND_IN = 'http://127.0.0.1:4010';

/**
 * A tenant admin registers the tenant's EHR connection over HTTP and reads back the JWKS URL the
 * hospital registers with its EHR; the EHR fetches the keys there without a token. The token
 * endpoint is given, so no discovery runs (the connection test needs the FHIR probe: not here).
 */
describe('registering an EHR connection on the local platform', () => {
  let platform: InProcessPlatform;
  let admin: Record<string, string>;

  beforeAll(async () => {
    platform = await startLocalPlatformInProcess({ ehrLoopbackOrigins: [STAND_IN] });
    admin = { authorization: `Bearer ${await platform.token('t-acme', ['plugins:admin'])}` };
  }, 120_000);

  afterAll(async () => platform?.stop());

  const put = (body: unknown, headers: Record<string, string> = {}) =>
    fetch(`${platform.url}/v1/tenant/ehr-connection`, {
      method: 'PUT',
      headers: { ...admin, 'content-type': 'application/json', ...headers },
      body: JSON.stringify(body),
    });

  const settings = {
    fhirBaseUrl: `${STAND_IN}/fhir/t-acme`,
    clientId: 'gradiant-acme',
    tokenEndpoint: `${STAND_IN}/oauth/token`,
    scopes: ['system/Patient.rs', 'system/Appointment.cruds'],
    signingAlgorithm: 'ES384',
  };

  it('registers, reads back and publishes the tenant’s public key', async () => {
    const created = await put(settings);
    const view = (await created.json()) as { jwksUrl: string; keyId: string };
    const read = await fetch(`${platform.url}/v1/tenant/ehr-connection`, { headers: admin });
    const jwks = await fetch(view.jwksUrl);
    const keys = (await jwks.json()) as { keys: { kid: string }[] };

    expect([created.status, created.headers.get('etag')]).toEqual([201, '"1"']);
    expect(view.jwksUrl).toBe(`${platform.url}/v1/tenants/t-acme/ehr-connection/jwks.json`);
    expect(await read.json()).toEqual(view);
    expect([jwks.status, jwks.headers.get('cache-control')]).toEqual([200, 'public, max-age=300']);
    expect(keys.keys.map((key) => key.kid)).toEqual([view.keyId]);
    expect(privateMembersIn([view, keys])).toEqual([]);
  });

  it('refuses a replace without If-Match, and any loopback origin but the configured one', async () => {
    const blind = await put(settings);
    const other = await put(
      { ...settings, fhirBaseUrl: 'http://127.0.0.1:9999/fhir' },
      { 'if-match': '"1"' },
    );

    expect([blind.status, ((await blind.json()) as Problem).code]).toEqual([428, 'PRECONDITION_REQUIRED']);
    const problem = (await other.json()) as Problem;
    expect([other.status, problem.code, problem.errors[0]?.field]).toEqual([
      400,
      'VALIDATION_FAILED',
      'body.fhirBaseUrl',
    ]);
  });

  it('answers another tenant’s empty JWKS and its missing connection as documented', async () => {
    const globex = { authorization: `Bearer ${await platform.token('t-globex', ['plugins:admin'])}` };

    const jwks = await fetch(`${platform.url}/v1/tenants/t-globex/ehr-connection/jwks.json`);
    const view = await fetch(`${platform.url}/v1/tenant/ehr-connection`, { headers: globex });

    expect(await jwks.json()).toEqual({ keys: [] });
    expect([view.status, ((await view.json()) as Problem).code]).toEqual([404, 'EHR_CONNECTION_NOT_FOUND']);
  });
});
