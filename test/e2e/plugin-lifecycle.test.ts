import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  jsonOf,
  type LocalPlatformProcess,
  startLocalPlatformProcess,
} from '../support/local-platform-process.ts';
import { createPublisherKeyPair } from '../support/signing.ts';

const CODE = `export default {
  async execute(input, api) {
    const found = await api.patients.search({ limit: 3 });
    const first = await api.patients.get('p-001');
    return { count: found.length, first: first.id, input };
  },
};
`;

const metadata = (overrides: Record<string, unknown> = {}) => ({
  name: 'Patient counter',
  description: 'Counts patients',
  author: 'E2E Labs',
  permissions: ['read:patients'],
  ...overrides,
});

describe('plugin lifecycle over HTTP against the local platform', () => {
  let platform: LocalPlatformProcess;
  let admin: Record<string, string>;
  let other: Record<string, string>;
  const publisher = createPublisherKeyPair();
  let keyId: string;

  const send = async (
    method: string,
    path: string,
    body?: unknown,
    headers: Record<string, string> = admin,
  ) =>
    fetch(`${platform.url}${path}`, {
      method,
      headers: { 'content-type': 'application/json', ...headers },
      ...(body === undefined ? {} : { body: JSON.stringify(body) }),
    });

  const install = (overrides: Record<string, unknown> = {}, code = CODE) =>
    send('POST', '/v1/plugins', {
      id: 'patient-counter',
      version: '1.0.0',
      code,
      metadata: metadata(),
      signature: { keyId, signature: publisher.sign(code) },
      ...overrides,
    });

  beforeAll(async () => {
    platform = await startLocalPlatformProcess();
    const scopes = ['plugins:read', 'plugins:admin', 'plugins:invoke', 'marketplace:publish'];
    admin = { authorization: `Bearer ${await platform.token('t-acme', scopes, 'admin-e2e')}` };
    other = { authorization: `Bearer ${await platform.token('t-globex', scopes, 'intruder')}` };
    const registered = await jsonOf(
      await send('POST', '/v1/publishers/keys', publisher.registration('t-acme')),
    );
    keyId = registered.keyId;
    const trusted = await send(
      'PATCH',
      '/v1/tenant/policy',
      { minimumSignatureLevel: 'publisher', trustedPublisherKeyIds: [keyId] },
      { ...admin, 'content-type': 'application/merge-patch+json' },
    );
    expect(trusted.status).toBe(200);
  }, 90_000);

  afterAll(async () => {
    await platform?.stop();
  });

  it('reads the tenant policy with an ETag and writes it back only with the current If-Match', async () => {
    const read = await send('GET', '/v1/tenant/policy');
    const policy = await jsonOf(read);
    const etag = read.headers.get('etag') ?? '';

    const blind = await send('PUT', '/v1/tenant/policy', policy);
    const written = await send('PUT', '/v1/tenant/policy', policy, { ...admin, 'if-match': etag });
    const stale = await send('PUT', '/v1/tenant/policy', policy, { ...admin, 'if-match': etag });

    expect(etag).toMatch(/^"\d+"$/);
    expect(policy.trustedPublisherKeyIds).toEqual([keyId]);
    expect(blind.status).toBe(428);
    expect(written.status).toBe(200);
    expect(written.headers.get('etag')).toBe(`"${Number(JSON.parse(etag)) + 1}"`);
    expect(await jsonOf(written)).toEqual(policy);
    expect(stale.status).toBe(412);
    expect((await jsonOf(stale)).code).toBe('PRECONDITION_FAILED');
  });

  it('refuses a bad manifest, a bad signature and a vulnerable dependency, storing nothing', async () => {
    const badManifest = await install({ metadata: metadata({ homepage: 'javascript:alert(1)' }) });
    const badSignature = await install({ signature: { keyId, signature: publisher.sign('something else') } });
    const vulnerable = await install({
      metadata: metadata({ dependencies: [{ name: 'vm2', version: '3.9.19' }] }),
    });
    const outsidePolicy = await install({
      metadata: metadata({ permissions: ['network:evil.example.com'], networkHosts: ['evil.example.com'] }),
    });
    const listed = await jsonOf(await send('GET', '/v1/plugins'));

    expect([badManifest.status, badSignature.status, vulnerable.status, outsidePolicy.status]).toEqual([
      400, 422, 422, 422,
    ]);
    expect((await jsonOf(badManifest)).code).toBe('INVALID_MANIFEST');
    expect((await jsonOf(badSignature)).code).toBe('SIGNATURE_INVALID');
    expect((await jsonOf(vulnerable)).errors[0].field).toBe('body.metadata.dependencies.0');
    expect((await jsonOf(outsidePolicy)).code).toBe('PERMISSION_NOT_ALLOWED');
    expect(listed.items).toEqual([]);
  });

  it('walks install → enable → invoke → disable → uninstall, with idempotent retries', async () => {
    const headers = { ...admin, 'idempotency-key': 'e2e-install-0001' };
    const body = {
      id: 'patient-counter',
      version: '1.0.0',
      code: CODE,
      metadata: metadata(),
      signature: { keyId, signature: publisher.sign(CODE) },
    };

    const installed = await send('POST', '/v1/plugins', body, headers);
    const replayed = await send('POST', '/v1/plugins', body, headers);
    const reused = await send('POST', '/v1/plugins', { ...body, version: '1.0.1' }, headers);
    const prematureInvoke = await send('POST', '/v1/plugins/patient-counter/invoke', { input: 1 });
    const enabled = await send('POST', '/v1/plugins/patient-counter/enable');
    const invoked = await send('POST', '/v1/plugins/patient-counter/invoke', { input: { hello: 'world' } });
    const illegal = await send('DELETE', '/v1/plugins/patient-counter');
    const foreign = await send('GET', '/v1/plugins/patient-counter', undefined, other);
    const disabled = await send('POST', '/v1/plugins/patient-counter/disable');
    const uninstalled = await send('DELETE', '/v1/plugins/patient-counter');
    const gone = await send('GET', '/v1/plugins/patient-counter');

    expect(installed.status).toBe(201);
    expect(replayed.status).toBe(201);
    expect(replayed.headers.get('idempotent-replayed')).toBe('true');
    expect(reused.status).toBe(422);
    expect(prematureInvoke.status).toBe(409);
    expect(enabled.status).toBe(200);
    expect(invoked.status).toBe(200);
    expect(await jsonOf(invoked)).toMatchObject({
      ok: true,
      value: { count: 3, first: 'p-001', input: { hello: 'world' } },
    });
    expect(illegal.status).toBe(409);
    expect(foreign.status).toBe(404);
    expect(disabled.status).toBe(200);
    expect(uninstalled.status).toBe(204);
    expect(gone.status).toBe(404);
  });

  it('reports usage after invocations', async () => {
    expect((await install({ id: 'usage-probe' })).status).toBe(201);
    await send('POST', '/v1/plugins/usage-probe/enable');
    await send('POST', '/v1/plugins/usage-probe/invoke', { input: 1 });

    const usage = await jsonOf(await send('GET', '/v1/plugins/usage-probe/usage'));

    expect(usage).toMatchObject({ pluginId: 'usage-probe', invocations: 1 });
  });

  it("delivers a plugin write's data event through the outbox to the plugin subscribed to it", async () => {
    const scheduler = `export default { async execute(input, api) {
      const booked = await api.appointments.schedule({ patientId: 'p-001', start: input.start, end: input.end });
      return booked.id;
    } };`;
    const listener = `export default {
      async onEvent(event, api) { await api.storage.set('heard', event.data.appointmentId); return null; },
      async execute(input, api) { return (await api.storage.get('heard')) ?? null; },
    };`;
    const installOne = (id: string, code: string, more: Record<string, unknown>) =>
      install({ id, metadata: metadata({ name: id, description: id, ...more }) }, code);
    expect(
      (await installOne('e2e-scheduler', scheduler, { permissions: ['read:patients', 'write:appointments'] }))
        .status,
    ).toBe(201);
    expect(
      (await installOne('e2e-listener', listener, { permissions: [], events: ['appointment:scheduled'] }))
        .status,
    ).toBe(201);
    await send('POST', '/v1/plugins/e2e-scheduler/enable');
    await send('POST', '/v1/plugins/e2e-listener/enable');

    const scheduled = await jsonOf(
      await send('POST', '/v1/plugins/e2e-scheduler/invoke', {
        input: { start: '2031-03-01T09:00:00.000Z', end: '2031-03-01T09:30:00.000Z' },
      }),
    );
    const appointmentId = scheduled.value;
    let heard: unknown = null;
    // Delivered asynchronously (stream poller → bus → execution): ask until it has arrived.
    for (let attempt = 0; attempt < 100 && heard !== appointmentId; attempt += 1) {
      const answer = await jsonOf(await send('POST', '/v1/plugins/e2e-listener/invoke', { input: null }));
      heard = answer.value;
      if (heard !== appointmentId) await new Promise((resolve) => setTimeout(resolve, 200));
    }

    expect(typeof appointmentId).toBe('string');
    expect(heard).toBe(appointmentId);
  }, 60_000);

  it('shows a run in the minute series and refuses a window of too many buckets', async () => {
    expect((await install({ id: 'series-probe' })).status).toBe(201);
    await send('POST', '/v1/plugins/series-probe/enable');
    const before = Date.now();
    await send('POST', '/v1/plugins/series-probe/invoke', { input: 1 });
    const from = new Date(before - 60_000).toISOString();
    const to = new Date(Date.now() + 60_000).toISOString();

    const usage = (await jsonOf(
      await send('GET', `/v1/plugins/series-probe/usage?interval=minute&from=${from}&to=${to}`),
    )) as {
      interval: string;
      series: { start: string; invocations: number }[];
      seriesTotals: { invocations: number };
    };
    const tooLong = await send(
      'GET',
      '/v1/plugins/series-probe/usage?interval=minute&from=2030-01-01T00:00:00Z&to=2030-01-03T00:00:00Z',
    );
    const problem = (await jsonOf(tooLong)) as { errors: { field: string }[] };

    expect(usage.interval).toBe('minute');
    expect(usage.seriesTotals.invocations).toBe(1);
    expect(usage.series.filter((bucket) => bucket.invocations > 0)).toHaveLength(1);
    expect(usage.series.every((bucket) => bucket.start.endsWith(':00.000Z'))).toBe(true);
    expect(tooLong.status).toBe(400);
    expect(problem.errors.map((error) => error.field)).toEqual(['query.from', 'query.to', 'query.interval']);
  });

  it('installs directly with a key the tenant registered itself, with no policy change', async () => {
    const inHouse = createPublisherKeyPair();
    const registered = await jsonOf(
      await send('POST', '/v1/publishers/keys', inHouse.registration('t-globex'), other),
    );

    const installed = await send(
      'POST',
      '/v1/plugins',
      {
        id: 'in-house-tool',
        version: '1.0.0',
        code: CODE,
        metadata: metadata(),
        signature: { keyId: registered.keyId, signature: inHouse.sign(CODE) },
      },
      other,
    );
    const foreignKey = await send(
      'POST',
      '/v1/plugins',
      {
        id: 'foreign-tool',
        version: '1.0.0',
        code: CODE,
        metadata: metadata(),
        signature: { keyId, signature: publisher.sign(CODE) },
      },
      other,
    );

    expect(installed.status).toBe(201);
    expect(foreignKey.status).toBe(422);
    expect((await jsonOf(foreignKey)).code).toBe('UNTRUSTED_PUBLISHER_KEY');
  });
});
