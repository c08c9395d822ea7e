import { describe, expect, it } from 'vitest';
import { FhirConnectionProbe } from '../../../../../shared/adapters/fhir/fhir-connection-probe.ts';
import { SmartBackendTokens } from '../../../../../shared/adapters/fhir/smart-backend-tokens.ts';
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

function setup(route: (request: RecordedRequest) => ReturnType<typeof json>) {
  const clock = new ManualClock();
  const server = new FakeFhirServer(route);
  const http = fakeHttpClient(server, clock);
  const tokens = new SmartBackendTokens({ http, signingKeys: new FakeEhrSigningKeys(), clock });
  return { probe: new FhirConnectionProbe({ http, tokens }), tokens, deadline: clock.current + 10_000 };
}

const capabilityStatement = {
  resourceType: 'CapabilityStatement',
  fhirVersion: '4.0.1',
  rest: [
    { mode: 'server', resource: [{ type: 'Patient' }, { type: 'Appointment' }, { type: 'Observation' }] },
  ],
};

describe('FhirConnectionProbe', () => {
  it('discovers the token endpoint from the SMART configuration, and nothing on 404', async () => {
    const { probe, deadline } = setup((request) =>
      request.url === `${FHIR_BASE}/.well-known/smart-configuration`
        ? json(200, {
            token_endpoint: TOKEN_ENDPOINT,
            grant_types_supported: ['client_credentials'],
            token_endpoint_auth_signing_alg_values_supported: ['ES384'],
          })
        : json(404),
    );

    expect(await probe.discover(FHIR_BASE, deadline)).toEqual({
      tokenEndpoint: TOKEN_ENDPOINT,
      grantTypesSupported: ['client_credentials'],
      tokenEndpointAuthSigningAlgValuesSupported: ['ES384'],
      scopesSupported: [],
    });
    expect(await probe.discover('https://other.example.org/fhir', deadline)).toBeUndefined();
  });

  it('reports the served resources and a fresh token that is not cached', async () => {
    const { probe, tokens, deadline } = setup((request) =>
      request.url === TOKEN_ENDPOINT
        ? json(200, {
            access_token: 'tok',
            token_type: 'bearer',
            expires_in: 300,
            scope: 'system/Patient.rs',
          })
        : json(200, capabilityStatement),
    );

    const report = await probe.probe(ehrConnection(), deadline);

    expect(report).toEqual({
      capabilityStatement: { ok: true, fhirVersion: '4.0.1', resources: ['Patient', 'Appointment'] },
      token: { ok: true, grantedScopes: ['system/Patient.rs'], expiresInSeconds: 300 },
    });
    expect(JSON.stringify(report)).not.toContain('tok"');
    expect(tokens.counts().hits).toBe(0);
  });

  it('reports failures as statuses, never the server text', async () => {
    const { probe, deadline } = setup((request) =>
      request.url === TOKEN_ENDPOINT
        ? json(401, { error_description: 'CANARY client' })
        : json(503, { issue: [{ diagnostics: 'CANARY' }] }),
    );

    const report = await probe.probe(ehrConnection(), deadline);

    expect(report.capabilityStatement).toEqual({ ok: false, reason: 'HTTP 503' });
    expect(report.token.ok).toBe(false);
    expect(JSON.stringify(report)).not.toContain('CANARY');
  });
});
