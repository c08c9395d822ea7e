import { beforeAll, describe, expect, it } from 'vitest';
import { createLifecycleHttp } from '../support/lifecycle-http.ts';

const nestedArray = (depth: number) => `${'['.repeat(depth)}${']'.repeat(depth)}`;
const nestedObject = (depth: number) => `${'{"a":'.repeat(depth)}1${'}'.repeat(depth)}`;
/** A body that passes the outer schema checks far enough to reach a free-form field. */
const nestedInMetadata = (depth: number) =>
  JSON.stringify({
    id: 'deep-plugin',
    version: '1.0.0',
    code: 'export default {}',
    metadata: { name: 'n', description: 'd', permissions: [], author: 'a', config: '__DEEP__' },
    signature: { keyId: 'k', signature: 's' },
  }).replace('"__DEEP__"', nestedObject(depth));

/**
 * Fingerprinting the body for the Idempotency-Key used to re-serialise the parsed value, which
 * recurses once per level: a body 10,000 levels deep overflowed the stack and answered 500 with
 * the key while the same body without it was a 400. The host must answer both the same way.
 */
describe('deeply nested body with an Idempotency-Key', () => {
  let http: Awaited<ReturnType<typeof createLifecycleHttp>>;
  let token: string;

  beforeAll(async () => {
    http = await createLifecycleHttp();
    token = await http.issuer.token('t-acme', ['plugins:admin', 'plugins:read'], 'admin-1');
  });

  const bodies = [1_000, 100_000].flatMap((depth) => [
    { name: `an array ${depth} deep`, body: nestedArray(depth) },
    { name: `an object ${depth} deep`, body: nestedObject(depth) },
    { name: `an install body with metadata ${depth} deep`, body: nestedInMetadata(depth) },
  ]);

  it.each(bodies)('answers $name with the same 4xx with and without the key', async ({ name, body }) => {
    const withoutKey = await http.send('POST /v1/plugins', { token, body });
    const withKey = await http.send('POST /v1/plugins', {
      token,
      body,
      headers: { 'idempotency-key': `deep-${name.replaceAll(/\W+/g, '-')}` },
    });

    expect(withoutKey.statusCode).toBeGreaterThanOrEqual(400);
    expect(withoutKey.statusCode).toBeLessThan(500);
    expect(withKey.statusCode).toBe(withoutKey.statusCode);
    expect(withKey.json?.code).toBe(withoutKey.json?.code);
    expect(withKey.headers['content-type']).toBe('application/problem+json');
  });

  it('replays the refusal for a retry with the same key and nothing was installed', async () => {
    const body = nestedInMetadata(100_000);
    const headers = { 'idempotency-key': 'deep-retry-0001' };

    const first = await http.send('POST /v1/plugins', { token, body, headers });
    const retry = await http.send('POST /v1/plugins', { token, body, headers });
    const listed = await http.send('GET /v1/plugins', { token });

    expect(first.statusCode).toBe(400);
    expect(retry.statusCode).toBe(400);
    expect(retry.headers['idempotent-replayed']).toBe('true');
    expect(listed.json).toEqual({ items: [] });
  });
});
