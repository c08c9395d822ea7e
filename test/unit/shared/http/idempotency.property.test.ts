import fc from 'fast-check';
import { beforeAll, describe, expect, it } from 'vitest';
import { createLifecycleHttp } from '../../../support/lifecycle-http.ts';

const deeplyNested = fc
  .tuple(fc.integer({ min: 1, max: 50_000 }), fc.constantFrom('array', 'object'))
  .map(([depth, shape]) =>
    shape === 'array'
      ? `${'['.repeat(depth)}${']'.repeat(depth)}`
      : `${'{"a":'.repeat(depth)}0${'}'.repeat(depth)}`,
  );

const anyBody = fc.oneof(fc.json(), deeplyNested, fc.string());

describe('withIdempotency (property)', () => {
  let http: Awaited<ReturnType<typeof createLifecycleHttp>>;
  let token: string;

  beforeAll(async () => {
    http = await createLifecycleHttp();
    token = await http.issuer.token('t-acme', ['plugins:admin'], 'admin-1');
  });

  it('answers any body to POST /v1/plugins with the same status and code with and without a key', async () => {
    let attempt = 0;
    await fc.assert(
      fc.asyncProperty(anyBody, async (body) => {
        attempt += 1;

        const withoutKey = await http.send('POST /v1/plugins', { token, body });
        const withKey = await http.send('POST /v1/plugins', {
          token,
          body,
          headers: { 'idempotency-key': `property-${attempt.toString().padStart(4, '0')}` },
        });

        expect(withoutKey.statusCode).toBeLessThan(500);
        expect(withKey.statusCode).toBe(withoutKey.statusCode);
        expect(withKey.json?.code).toBe(withoutKey.json?.code);
      }),
      { numRuns: 150 },
    );
  });
});
