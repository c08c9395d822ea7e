import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { loadLocalIssuer } from '../../../../apps/local-platform/local-issuer.ts';
import {
  createTokenVerifier,
  MAX_TOKEN_AGE_SECONDS,
  type TokenVerifier,
} from '../../../../shared/auth/token-verifier.ts';
import { createTestIssuer, TEST_AUDIENCE, TEST_ISSUER } from '../../../support/test-issuer.ts';

describe('createTokenVerifier', () => {
  let issuer: Awaited<ReturnType<typeof createTestIssuer>>;
  let verify: TokenVerifier;

  beforeAll(async () => {
    issuer = await createTestIssuer();
    verify = createTokenVerifier({ issuer: TEST_ISSUER, audience: TEST_AUDIENCE, jwks: issuer.jwks });
  });

  it('takes tenant, user and scopes from the verified claims', async () => {
    const token = await issuer.token('t-acme', ['plugins:read', 'plugins:admin'], 'u-9');

    const caller = await verify(`Bearer ${token}`);

    expect(caller.tenantId).toBe('t-acme');
    expect(caller.userId).toBe('u-9');
    expect([...caller.scopes]).toEqual(['plugins:read', 'plugins:admin']);
  });

  it('refuses a missing header, another scheme, a foreign issuer and an expired token', async () => {
    const foreign = await issuer.sign({ tenant_id: 't-acme', sub: 'u' }, { issuer: 'https://evil.example/' });
    const expired = await issuer.sign({ tenant_id: 't-acme', sub: 'u' }, { expiresIn: '-1m' });

    for (const header of [undefined, 'Basic abc', `Bearer ${foreign}`, `Bearer ${expired}`]) {
      await expect(verify(header)).rejects.toMatchObject({ code: 'UNAUTHENTICATED' });
    }
  });

  it('refuses an unsigned token and a token without a tenant claim', async () => {
    const [header, payload] = (await issuer.token('t-acme', [])).split('.');
    const unsigned = `${Buffer.from('{"alg":"none"}').toString('base64url')}.${payload}.`;
    const noTenant = await issuer.sign({ sub: 'u' });

    await expect(verify(`Bearer ${unsigned}`)).rejects.toMatchObject({ code: 'UNAUTHENTICATED' });
    await expect(verify(`Bearer ${header}.${payload}.AAAA`)).rejects.toMatchObject({
      code: 'UNAUTHENTICATED',
    });
    await expect(verify(`Bearer ${noTenant}`)).rejects.toMatchObject({ code: 'UNAUTHENTICATED' });
  });
});

describe('createTokenVerifier with the local issuer', () => {
  it('accepts the dev tokens the local platform issues', async () => {
    const issuer = await loadLocalIssuer(mkdtempSync(join(tmpdir(), 'local-issuer-')));
    const verify = createTokenVerifier({
      issuer: issuer.issuer,
      audience: issuer.audience,
      jwks: issuer.jwks,
    });
    const { access_token: token, expires_in: expiresIn } = await issuer.issue({
      tenantId: 't-acme',
      subject: 'dev-user',
      scopes: ['plugins:read'],
    });

    const caller = await verify(`Bearer ${token}`);

    expect(caller).toMatchObject({ tenantId: 't-acme', userId: 'dev-user' });
    expect(expiresIn).toBeLessThanOrEqual(MAX_TOKEN_AGE_SECONDS);
  });
});
