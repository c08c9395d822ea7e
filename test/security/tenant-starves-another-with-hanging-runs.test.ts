import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  jsonOf,
  type LocalPlatformProcess,
  startLocalPlatformProcess,
} from '../support/local-platform-process.ts';
import { createPublisherKeyPair } from '../support/signing.ts';

const HANGING = 'export default { async execute() { await new Promise(() => {}); } };';
const QUICK = 'export default { execute(input) { return { echo: input }; } };';
/** Tenant A's runs end only at this wall-clock limit; B's answer must come long before. */
const HANG_TIMEOUT_MS = 5_000;
const CAP = 2;
const FLOOD = 5;
const WORKERS = 5;

/**
 * Attack (issue #8 §3): tenant A fires more never-resolving runs than it may have in flight, to
 * take the execution capacity every tenant shares; before the fix another tenant's invocation
 * queued behind them and failed after 29 s. Now A holds at most its policy's cap of runs (leases
 * in DynamoDB Local), the rest answer 429 RATE_LIMITED with Retry-After, and tenant B, served by
 * another worker of the local pool, answers before the first of A's runs has even ended.
 */
describe('security: one tenant cannot starve another with hanging runs (local platform over HTTP)', () => {
  let platform: LocalPlatformProcess;
  const tenants = {
    a: { id: 't-acme', headers: {} as Record<string, string>, key: createPublisherKeyPair() },
    b: { id: 't-globex', headers: {} as Record<string, string>, key: createPublisherKeyPair() },
  };

  const send = (method: string, path: string, headers: Record<string, string>, body?: unknown) =>
    fetch(`${platform.url}${path}`, {
      method,
      headers: { 'content-type': 'application/json', ...headers },
      ...(body === undefined ? {} : { body: JSON.stringify(body) }),
    });

  async function installEnabled(tenant: (typeof tenants)['a'], id: string, code: string, timeoutMs: number) {
    const installed = await send('POST', '/v1/plugins', tenant.headers, {
      id,
      version: '1.0.0',
      code,
      metadata: {
        name: id,
        description: 'A plugin of the starvation attack test',
        author: 'Security Tests',
        permissions: [],
        limits: { timeoutMs },
      },
      signature: { keyId: await registerKey(tenant), signature: tenant.key.sign(code) },
    });
    expect(installed.status).toBe(201);
    expect((await send('POST', `/v1/plugins/${id}/enable`, tenant.headers)).status).toBe(200);
  }

  async function registerKey(tenant: (typeof tenants)['a']): Promise<string> {
    const registered = await send(
      'POST',
      '/v1/publishers/keys',
      tenant.headers,
      tenant.key.registration(tenant.id),
    );
    return (await jsonOf(registered)).keyId;
  }

  const invoke = (tenant: (typeof tenants)['a'], id: string, input: unknown = null) =>
    send('POST', `/v1/plugins/${id}/invoke`, tenant.headers, { input });

  beforeAll(async () => {
    platform = await startLocalPlatformProcess({ env: { LOCAL_EXECUTION_WORKERS: String(WORKERS) } });
    const scopes = ['plugins:read', 'plugins:admin', 'plugins:invoke', 'marketplace:publish'];
    for (const tenant of Object.values(tenants)) {
      tenant.headers = { authorization: `Bearer ${await platform.token(tenant.id, scopes, 'admin')}` };
    }
    await installEnabled(tenants.a, 'hang-forever', HANGING, HANG_TIMEOUT_MS);
    await installEnabled(tenants.a, 'quick', QUICK, 1_000);
    await installEnabled(tenants.b, 'quick', QUICK, 1_000);
    // Every worker has run once (before the cap, which would refuse a third concurrent run of A).
    const warm = await Promise.all([
      ...Array.from({ length: WORKERS - 2 }, () => invoke(tenants.a, 'quick')),
      invoke(tenants.b, 'quick'),
      invoke(tenants.b, 'quick'),
    ]);
    expect(warm.map((response) => response.status)).toEqual(Array(WORKERS).fill(200));
    const read = await send('GET', '/v1/tenant/policy', tenants.a.headers);
    const capped = await send(
      'PUT',
      '/v1/tenant/policy',
      { ...tenants.a.headers, 'if-match': read.headers.get('etag') ?? '' },
      { ...(await jsonOf(read)), maxConcurrentRuns: CAP },
    );
    expect(capped.status).toBe(200);
  }, 120_000);

  afterAll(async () => {
    await platform?.stop();
  });

  it('refuses a cap outside the policy bounds', async () => {
    const read = await send('GET', '/v1/tenant/policy', tenants.b.headers);
    const policy = await jsonOf(read);
    const headers = { ...tenants.b.headers, 'if-match': read.headers.get('etag') ?? '' };

    const zero = await send('PUT', '/v1/tenant/policy', headers, { ...policy, maxConcurrentRuns: 0 });
    const huge = await send('PUT', '/v1/tenant/policy', headers, { ...policy, maxConcurrentRuns: 10_000 });

    expect(zero.status).toBe(400);
    expect(huge.status).toBe(400);
    expect((await jsonOf(huge)).code).toBe('VALIDATION_FAILED');
  });

  it("answers tenant B while tenant A floods, and refuses A's runs beyond its cap with 429", async () => {
    const finished: string[] = [];
    const startedAt = performance.now();
    const flood = Array.from({ length: FLOOD }, async (_, index) => {
      const response = await invoke(tenants.a, 'hang-forever', index);
      const body = await jsonOf(response);
      finished.push(response.status === 200 ? 'a:ran' : 'a:refused');
      return { response, body, at: performance.now() - startedAt };
    });
    // B goes once A is at its cap, i.e. once A's first refusal arrives (or all of A's runs ended).
    const firstRefusal = await new Promise<Awaited<(typeof flood)[number]> | undefined>((resolve) => {
      for (const pending of flood)
        void pending.then((outcome) => outcome.response.status === 429 && resolve(outcome));
      void Promise.all(flood).then(() => resolve(undefined));
    });

    const bResponse = await invoke(tenants.b, 'quick', 'b');
    const bBody = await jsonOf(bResponse);
    finished.push('b');
    const bAt = performance.now() - startedAt;
    const aOutcomes = await Promise.all(flood);

    expect(bResponse.status).toBe(200);
    expect(bBody).toMatchObject({ ok: true, value: { echo: 'b' } });
    // B did not wait for any of A's runs: it answered before the first of them ended.
    expect(finished.indexOf('b')).toBeLessThan(finished.indexOf('a:ran'));
    const ran = aOutcomes.filter((outcome) => outcome.response.status === 200);
    const refused = aOutcomes.filter((outcome) => outcome.response.status === 429);
    expect(ran).toHaveLength(CAP);
    expect(refused).toHaveLength(FLOOD - CAP);
    for (const outcome of ran) expect(outcome.body.error?.code).toBe('TimeoutExceeded');
    for (const outcome of refused) {
      expect(outcome.response.headers.get('content-type')).toContain('application/problem+json');
      expect(outcome.body).toMatchObject({ status: 429, code: 'RATE_LIMITED' });
      expect(Number(outcome.response.headers.get('retry-after'))).toBeGreaterThanOrEqual(1);
    }
    const firstRanAt = Math.min(...ran.map((outcome) => outcome.at));
    process.stdout.write(
      `tenant B answered in ${bAt.toFixed(0)} ms after the flood began (${(bAt - (firstRefusal?.at ?? 0)).toFixed(0)} ms after A's first 429); ` +
        `A's first admitted run ended at ${firstRanAt.toFixed(0)} ms (B/A ratio ${(bAt / firstRanAt).toFixed(2)})\n`,
    );
  }, 60_000);

  it('gives the slots back once the runs ended: tenant A may run again', async () => {
    const again = await invoke(tenants.a, 'quick', 'again');

    expect(again.status).toBe(200);
    expect(await jsonOf(again)).toMatchObject({ ok: true, value: { echo: 'again' } });
  });
});
