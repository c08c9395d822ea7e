import { beforeEach, describe, expect, it } from 'vitest';
import { DEFAULT_TENANT_POLICY } from '../../../../shared/domain/tenant-policy.ts';
import { createLifecycleHttp } from '../../../support/lifecycle-http.ts';

const MERGE_PATCH = { 'content-type': 'application/merge-patch+json' };

describe('tenant policy routes', () => {
  let http: Awaited<ReturnType<typeof createLifecycleHttp>>;
  let token: string;

  beforeEach(async () => {
    http = await createLifecycleHttp();
    token = await http.issuer.token('t-fresh', ['plugins:admin'], 'admin-1');
  });

  const read = () => http.send('GET /v1/tenant/policy', { token });

  it('answers the policy itself with its version as a strong ETag', async () => {
    const response = await read();

    expect(response.statusCode).toBe(200);
    expect(response.headers.etag).toBe('"0"');
    expect(response.json).toEqual(DEFAULT_TENANT_POLICY);
  });

  it('takes the shape GET answers back on PUT with If-Match, and answers the next ETag', async () => {
    const before = await read();

    const written = await http.send('PUT /v1/tenant/policy', {
      token,
      body: { ...before.json, allowedNetworkHosts: ['api.example.com'] },
      headers: { 'if-match': before.headers.etag as string },
    });

    expect(written.statusCode).toBe(200);
    expect(written.headers.etag).toBe('"1"');
    expect(written.json).toEqual({ ...DEFAULT_TENANT_POLICY, allowedNetworkHosts: ['api.example.com'] });
    expect((await read()).json).toEqual(written.json);
  });

  it('refuses a PUT without If-Match with 428 PRECONDITION_REQUIRED', async () => {
    const response = await http.send('PUT /v1/tenant/policy', { token, body: DEFAULT_TENANT_POLICY });

    expect(response.statusCode).toBe(428);
    expect(response.json).toMatchObject({
      code: 'PRECONDITION_REQUIRED',
      errors: [{ field: 'headers.if-match' }],
    });
  });

  it('refuses a stale If-Match with 412 PRECONDITION_FAILED and keeps the policy', async () => {
    const before = await read();
    const first = { 'if-match': before.headers.etag as string };
    await http.send('PUT /v1/tenant/policy', { token, body: before.json, headers: first });

    const stale = await http.send('PUT /v1/tenant/policy', {
      token,
      body: { ...before.json, uninstallStorage: 'keep' },
      headers: first,
    });
    const stalePatch = await http.send('PATCH /v1/tenant/policy', {
      token,
      body: { uninstallStorage: 'keep' },
      headers: { ...MERGE_PATCH, ...first },
    });

    expect(stale.statusCode).toBe(412);
    expect(stale.json).toMatchObject({
      code: 'PRECONDITION_FAILED',
      errors: [{ field: 'headers.if-match' }],
    });
    expect(stalePatch.statusCode).toBe(412);
    expect((await read()).json).toMatchObject({ uninstallStorage: 'delete' });
  });

  it('refuses a weak or malformed If-Match as a 400 naming headers.if-match', async () => {
    const response = await http.send('PUT /v1/tenant/policy', {
      token,
      body: DEFAULT_TENANT_POLICY,
      headers: { 'if-match': 'W/"0"' },
    });

    expect(response.statusCode).toBe(400);
    expect(response.json).toMatchObject({ errors: [{ field: 'headers.if-match' }] });
  });

  it('merges an RFC 7396 patch: named fields change, null removes, arrays replace, the rest stays', async () => {
    const response = await http.send('PATCH /v1/tenant/policy', {
      token,
      body: {
        allowedNetworkHosts: ['*.example.com'],
        circuitBreaker: { maxErrors: 5 },
        maxConcurrentRuns: null,
      },
      headers: MERGE_PATCH,
    });

    expect(response.statusCode).toBe(200);
    expect(response.headers.etag).toBe('"1"');
    expect(response.json).toEqual({
      ...DEFAULT_TENANT_POLICY,
      allowedNetworkHosts: ['*.example.com'],
      circuitBreaker: { ...DEFAULT_TENANT_POLICY.circuitBreaker, maxErrors: 5 },
    });
  });

  it('validates the merged result as a whole policy and names the field under body', async () => {
    const patches = [{ minimumSignatureLevel: 'none' }, { circuitBreaker: null }, { surprise: true }];

    const responses = await Promise.all(
      patches.map((body) => http.send('PATCH /v1/tenant/policy', { token, body, headers: MERGE_PATCH })),
    );

    expect(responses.map((response) => response.statusCode)).toEqual([400, 400, 400]);
    expect(
      responses.map((response) => (response.json?.errors as { field: string }[] | undefined)?.[0]?.field),
    ).toEqual(['body.minimumSignatureLevel', 'body.circuitBreaker', 'body']);
    expect((await read()).headers.etag).toBe('"0"');
  });

  it('patches one access-monitoring threshold and refuses a time zone that is not IANA, naming it', async () => {
    const patched = await http.send('PATCH /v1/tenant/policy', {
      token,
      body: { accessMonitoring: { permissionDenials: { maxDenials: 5 } } },
      headers: MERGE_PATCH,
    });
    const refused = await http.send('PATCH /v1/tenant/policy', {
      token,
      body: { accessMonitoring: { businessHours: { timeZone: 'Berlin time' } } },
      headers: MERGE_PATCH,
    });

    expect(patched.statusCode).toBe(200);
    expect(patched.json).toMatchObject({
      accessMonitoring: {
        ...DEFAULT_TENANT_POLICY.accessMonitoring,
        permissionDenials: { ...DEFAULT_TENANT_POLICY.accessMonitoring.permissionDenials, maxDenials: 5 },
      },
    });
    expect(refused.statusCode).toBe(400);
    expect(refused.json?.errors).toEqual([
      {
        field: 'body.accessMonitoring.businessHours.timeZone',
        message: 'must be an IANA time zone name such as Europe/Berlin or UTC',
      },
    ]);
  });

  it('keeps a __proto__ member an ordinary key that the strict schema refuses', async () => {
    const response = await http.send('PATCH /v1/tenant/policy', {
      token,
      body: '{"__proto__":{"uninstallStorage":"keep"}}',
      headers: MERGE_PATCH,
    });

    expect(response.statusCode).toBe(400);
    expect((await read()).json).toMatchObject({ uninstallStorage: 'delete' });
  });

  it('takes a merge patch only as application/merge-patch+json', async () => {
    const response = await http.send('PATCH /v1/tenant/policy', {
      token,
      body: { uninstallStorage: 'keep' },
    });

    expect(response.statusCode).toBe(415);
    expect(response.json).toMatchObject({ errors: [{ field: 'headers.content-type' }] });
  });

  it('answers 409 when another write lands between the read and the conditional write', async () => {
    const { policies } = http.harness;
    const put = policies.put.bind(policies);
    policies.put = async (tenantId, policy, expected, actor, at, outbox) => {
      await put(tenantId, policy, expected, 'someone-else', at, []);
      return put(tenantId, policy, expected, actor, at, outbox);
    };

    const response = await http.send('PATCH /v1/tenant/policy', {
      token,
      body: { uninstallStorage: 'keep' },
      headers: MERGE_PATCH,
    });

    expect(response.statusCode).toBe(409);
    expect(response.json?.code).toBe('CONCURRENT_MODIFICATION');
    // The lost write committed nothing: its record is the refusal alone.
    expect(http.harness.outbox.records.map((record) => [record.action, record.outcome, record.code])).toEqual(
      [['policy:update', 'refused', 'CONCURRENT_MODIFICATION']],
    );
  });
});
