import { beforeAll, describe, expect, it } from 'vitest';
import { CLOCK_SKEW_TOLERANCE_SECONDS, MAX_TOKEN_AGE_SECONDS } from '../../shared/auth/token-verifier.ts';
import { createLifecycleHttp } from '../support/lifecycle-http.ts';

const claims = { tenant_id: 't-acme', sub: 'attacker', scope: 'plugins:read' };
const nowSeconds = () => Math.floor(Date.now() / 1000);

/**
 * A token that never expires works forever once stolen; one "issued" in the future outlives its
 * stated lifetime; one minted with a far-off `exp` does the same. Each must be a 401, answered
 * as problem+json before any route runs.
 */
describe('token without expiry', () => {
  let http: Awaited<ReturnType<typeof createLifecycleHttp>>;

  beforeAll(async () => {
    http = await createLifecycleHttp();
  });

  const list = (token: string) => http.send('GET /v1/plugins', { token });

  it('refuses a signed token without exp', async () => {
    const token = await http.issuer.sign(claims, { expiresIn: null });

    const answer = await list(token);

    expect(answer.statusCode).toBe(401);
    expect(answer.headers['content-type']).toBe('application/problem+json');
    expect(answer.json).toMatchObject({ code: 'UNAUTHENTICATED', status: 401 });
  });

  it('refuses a signed token without iat', async () => {
    const token = await http.issuer.sign(claims, { issuedAt: null });

    const answer = await list(token);

    expect(answer.statusCode).toBe(401);
    expect(answer.json).toMatchObject({ code: 'UNAUTHENTICATED' });
  });

  it('refuses a token issued in the future beyond the tolerated clock skew', async () => {
    const issuedAt = nowSeconds() + CLOCK_SKEW_TOLERANCE_SECONDS + 60;
    const token = await http.issuer.sign(claims, { issuedAt, expiresIn: issuedAt + 300 });

    const answer = await list(token);

    expect(answer.statusCode).toBe(401);
    expect(answer.json).toMatchObject({ code: 'UNAUTHENTICATED' });
  });

  it('refuses a token older than the maximum age even when its exp is far off', async () => {
    const issuedAt = nowSeconds() - MAX_TOKEN_AGE_SECONDS - 3600;
    const token = await http.issuer.sign(claims, { issuedAt, expiresIn: nowSeconds() + 365 * 86_400 });

    const answer = await list(token);

    expect(answer.statusCode).toBe(401);
    expect(answer.json).toMatchObject({ code: 'UNAUTHENTICATED' });
  });

  it('still accepts a token whose iat is ahead by less than the tolerated skew', async () => {
    const issuedAt = nowSeconds() + 1;
    const token = await http.issuer.sign(claims, { issuedAt, expiresIn: issuedAt + 300 });

    const answer = await list(token);

    expect(answer.statusCode).toBe(200);
  });
});
