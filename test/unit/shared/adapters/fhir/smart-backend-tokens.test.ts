import { describe, expect, it } from 'vitest';
import {
  refreshMarginSeconds,
  SmartBackendTokens,
} from '../../../../../shared/adapters/fhir/smart-backend-tokens.ts';
import type { TenantId } from '../../../../../shared/domain/identifiers.ts';
import {
  ehrConnection,
  FakeFhirServer,
  fakeHttpClient,
  json,
  ManualClock,
  TOKEN_ENDPOINT,
} from '../../../../support/fake-fhir-server.ts';
import { FakeEhrSigningKeys } from '../../../../support/fakes/fake-ehr-signing-keys.ts';

const TOKEN_CANARY = 'tok-CANARY-9f8e7d';

function setup(
  answer = () =>
    json(200, {
      access_token: TOKEN_CANARY,
      token_type: 'Bearer',
      expires_in: 3600,
      scope: 'system/Patient.rs',
    }),
) {
  const clock = new ManualClock();
  const server = new FakeFhirServer(answer);
  const signingKeys = new FakeEhrSigningKeys();
  let jti = 0;
  const tokens = new SmartBackendTokens({
    http: fakeHttpClient(server, clock),
    signingKeys,
    clock,
    ids: { next: () => `jti-${++jti}` },
  });
  return { clock, server, signingKeys, tokens, deadline: () => clock.current + 10_000 };
}

describe('SmartBackendTokens', () => {
  it('posts a client-credentials form with an assertion signed over the SMART claims', async () => {
    const { server, signingKeys, tokens, clock, deadline } = setup();

    const token = await tokens.accessToken(ehrConnection(), deadline());

    expect(token).toBe(TOKEN_CANARY);
    expect(signingKeys.signed).toEqual([
      {
        tenantId: 't-acme',
        keyId: 'kid-1',
        claims: {
          iss: 'gradiant-client',
          sub: 'gradiant-client',
          aud: TOKEN_ENDPOINT,
          jti: 'jti-1',
          exp: clock.current / 1000 + 300,
        },
      },
    ]);
    const request = server.requests[0];
    expect(request?.url).toBe(TOKEN_ENDPOINT);
    expect(request?.headers['content-type']).toBe('application/x-www-form-urlencoded');
    expect(Object.fromEntries(new URLSearchParams(request?.body))).toEqual({
      grant_type: 'client_credentials',
      scope: 'system/Patient.rs system/Appointment.cruds',
      client_assertion_type: 'urn:ietf:params:oauth:client-assertion-type:jwt-bearer',
      client_assertion: 'assertion-1',
    });
  });

  it('serves the cached token until a minute before it expires', async () => {
    const { server, tokens, clock, deadline } = setup();
    await tokens.accessToken(ehrConnection(), deadline());

    clock.advance((3600 - 61) * 1000);
    await tokens.accessToken(ehrConnection(), deadline());
    clock.advance(2_000);
    await tokens.accessToken(ehrConnection(), deadline());

    expect(server.requests).toHaveLength(2);
    expect(tokens.counts()).toEqual({ hits: 1, joined: 0, requests: 2 });
  });

  it('refreshes short tokens a tenth of their life early', () => {
    expect(refreshMarginSeconds(3600)).toBe(60);
    expect(refreshMarginSeconds(300)).toBe(30);
  });

  it('sends one token request for 50 concurrent calls of a tenant', async () => {
    const { server, tokens, deadline } = setup();

    const answers = await Promise.all(
      Array.from({ length: 50 }, () => tokens.accessToken(ehrConnection(), deadline())),
    );

    expect(new Set(answers)).toEqual(new Set([TOKEN_CANARY]));
    expect(server.requests).toHaveLength(1);
    expect(tokens.counts()).toEqual({ hits: 0, joined: 49, requests: 1 });
  });

  it('requests a new token after the refused one is invalidated, and keeps a newer one', async () => {
    const { server, tokens, deadline } = setup();
    await tokens.accessToken(ehrConnection(), deadline());

    tokens.invalidate('t-acme' as TenantId, 'some-older-token');
    await tokens.accessToken(ehrConnection(), deadline());
    tokens.invalidate('t-acme' as TenantId, TOKEN_CANARY);
    await tokens.accessToken(ehrConnection(), deadline());

    expect(server.requests).toHaveLength(2);
  });

  it('does not reuse a token issued for an older connection version', async () => {
    const { server, tokens, deadline } = setup();
    await tokens.accessToken(ehrConnection(), deadline());

    await tokens.accessToken(ehrConnection({ version: 2 }), deadline());

    expect(server.requests).toHaveLength(2);
  });

  it('fails refused on an OAuth error without repeating its description', async () => {
    const { tokens, deadline } = setup(() =>
      json(400, { error: 'invalid_client', error_description: `client ${TOKEN_CANARY} unknown` }),
    );

    const error = await tokens.accessToken(ehrConnection(), deadline()).catch((caught: unknown) => caught);

    expect(error).toMatchObject({ code: 'EHR_REFUSED' });
    expect(JSON.stringify(error, Object.getOwnPropertyNames(error))).not.toContain(TOKEN_CANARY);
  });

  it('fails unavailable on a malformed token answer, and shares the failure with joined calls', async () => {
    const { tokens, deadline } = setup(() => json(200, { access_token: TOKEN_CANARY }));

    const results = await Promise.allSettled([
      tokens.accessToken(ehrConnection(), deadline()),
      tokens.accessToken(ehrConnection(), deadline()),
    ]);

    for (const result of results) {
      expect(result.status).toBe('rejected');
      const reason = (result as PromiseRejectedResult).reason as Error;
      expect(reason).toMatchObject({ code: 'EHR_UNAVAILABLE' });
      expect(reason.message).not.toContain(TOKEN_CANARY);
    }
  });
});
