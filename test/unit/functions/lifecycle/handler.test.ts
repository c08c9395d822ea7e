import { randomUUID } from 'node:crypto';
import fc from 'fast-check';
import { beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';
import { type LifecycleDependencies, lifecycleHandlerFor } from '../../../../functions/lifecycle/wiring.ts';
import { createTokenVerifier } from '../../../../shared/auth/token-verifier.ts';
import type { PluginId, TenantId } from '../../../../shared/domain/identifiers.ts';
import { type DirectInvocation, ran, refused as refusedWith } from '../../../../shared/domain/invocation.ts';
import { TenantPolicyService } from '../../../../shared/services/lifecycle/tenant-policy-service.ts';
import { httpEvent } from '../../../support/api-gateway-events.ts';
import { InMemoryIdempotencyStore } from '../../../support/fakes/in-memory-idempotency-store.ts';
import { InMemoryOutbox } from '../../../support/fakes/in-memory-outbox.ts';
import { createLifecycleHarness, SAMPLE_CODE, sampleMetadata } from '../../../support/lifecycle-harness.ts';
import { testCursorCodec } from '../../../support/test-cursors.ts';
import { createTestIssuer, TEST_AUDIENCE, TEST_ISSUER } from '../../../support/test-issuer.ts';

const context = {} as never;
const ADMIN = ['plugins:read', 'plugins:admin', 'plugins:invoke'];

describe('lifecycle handler', () => {
  let issuer: Awaited<ReturnType<typeof createTestIssuer>>;
  let h: Awaited<ReturnType<typeof createLifecycleHarness>>;
  let handler: ReturnType<typeof lifecycleHandlerFor>;
  let invocations: DirectInvocation[];
  let dependencies: LifecycleDependencies;
  let requestOutbox: InMemoryOutbox;
  let outbox: InMemoryOutbox;

  beforeAll(async () => {
    issuer = await createTestIssuer();
  });

  beforeEach(async () => {
    h = await createLifecycleHarness();
    invocations = [];
    requestOutbox = new InMemoryOutbox();
    outbox = new InMemoryOutbox();
    let sequence = 0;
    dependencies = {
      requestAudit: {
        outbox: requestOutbox,
        ids: { next: () => randomUUID() },
        clock: { now: () => new Date() },
      },
      verifier: createTokenVerifier({ issuer: TEST_ISSUER, audience: TEST_AUDIENCE, jwks: issuer.jwks }),
      pluginServiceFor: (caller) => h.serviceFor(caller.tenantId, caller.userId),
      tenantPolicyServiceFor: (caller) =>
        new TenantPolicyService({
          tenantId: caller.tenantId,
          actorId: caller.userId,
          policies: h.policies,
          auditTrail: h.auditTrail,
        }),
      idempotency: new InMemoryIdempotencyStore(),
      cursors: testCursorCodec(),
      auditTrail: { outbox, clock: { now: () => new Date() }, ids: { next: () => `id-${++sequence}` } },
      // Stands in for the execution side: it reads the installation and checks its state itself.
      invoker: {
        invoke: async (invocation) => {
          const installation = await h.installations.get(
            invocation.tenantId as TenantId,
            invocation.pluginId as PluginId,
          );
          if (!installation) return refusedWith({ code: 'PluginNotFound' });
          if (installation.state !== 'enabled') {
            const { state, stateReason } = installation;
            return refusedWith({ code: 'PluginNotEnabled', state, ...(stateReason ? { stateReason } : {}) });
          }
          invocations.push(invocation);
          return ran({
            ok: true,
            value: { echoed: invocation.input as never },
            usage: { wallMs: 1, cpuMs: 1, peakHeapBytes: 1, dataCalls: 0, networkCalls: 0, storageBytes: 0 },
            logs: [],
            events: [],
          });
        },
      },
      now: () => new Date(),
    };
    handler = lifecycleHandlerFor(dependencies);
  });

  const call = async (
    routeKey: string,
    options: {
      tenant?: string;
      scopes?: string[];
      body?: unknown;
      id?: string;
      headers?: Record<string, string>;
    } = {},
  ) => {
    const token = await issuer.token(options.tenant ?? 't-acme', options.scopes ?? ADMIN, 'admin-1');
    const path = options.id ? routeKey.split(' ')[1]?.replace('{id}', options.id) : undefined;
    const response = await handler(
      httpEvent(routeKey, {
        ...(path ? { path } : {}),
        headers: { authorization: `Bearer ${token}`, ...options.headers },
        ...(options.id ? { pathParameters: { id: options.id } } : {}),
        ...(options.body === undefined ? {} : { body: options.body }),
      }),
      context,
    );
    return { ...response, json: response.body ? JSON.parse(response.body) : undefined };
  };

  const installBody = (overrides: Record<string, unknown> = {}) => ({
    id: 'p1',
    version: '1.0.0',
    code: SAMPLE_CODE,
    metadata: sampleMetadata(),
    signature: h.signed(),
    ...overrides,
  });

  it('walks install → enable → invoke → disable → uninstall', async () => {
    const installed = await call('POST /v1/plugins', { body: installBody() });
    const enabled = await call('POST /v1/plugins/{id}/enable', { id: 'p1' });
    const invoked = await call('POST /v1/plugins/{id}/invoke', { id: 'p1', body: { input: { n: 1 } } });
    const disabled = await call('POST /v1/plugins/{id}/disable', { id: 'p1' });
    const removed = await call('DELETE /v1/plugins/{id}', { id: 'p1' });
    const gone = await call('GET /v1/plugins/{id}', { id: 'p1' });

    expect(installed.statusCode).toBe(201);
    expect(installed.json).toMatchObject({ pluginId: 'p1', state: 'installed' });
    expect(enabled.json.state).toBe('enabled');
    expect(invoked.json).toMatchObject({ ok: true, value: { echoed: { n: 1 } } });
    expect(invocations[0]).toMatchObject({
      kind: 'invoke',
      tenantId: 't-acme',
      pluginId: 'p1',
      actor: 'admin-1',
    });
    expect(disabled.json.state).toBe('disabled');
    expect(removed.statusCode).toBe(204);
    expect(gone.statusCode).toBe(404);
  });

  it('answers 409 to invoking a plugin that is not enabled and to an illegal transition', async () => {
    await call('POST /v1/plugins', { body: installBody() });

    const invoked = await call('POST /v1/plugins/{id}/invoke', { id: 'p1', body: { input: 1 } });
    const disabled = await call('POST /v1/plugins/{id}/disable', { id: 'p1' });

    expect(invoked.statusCode).toBe(409);
    expect(invoked.json.code).toBe('PLUGIN_NOT_ENABLED');
    expect(disabled.statusCode).toBe(409);
    expect(disabled.json.code).toBe('ILLEGAL_TRANSITION');
    expect(invocations).toHaveLength(0);
  });

  it('says why a plugin the circuit breaker disabled cannot run: its state and stateReason', async () => {
    await call('POST /v1/plugins', { body: installBody() });
    await call('POST /v1/plugins/{id}/enable', { id: 'p1' });
    await h
      .serviceFor('t-acme', 'platform:circuit-breaker')
      .disablePlugin('p1', { reason: 'auto:error-rate' });

    const invoked = await call('POST /v1/plugins/{id}/invoke', { id: 'p1', body: { input: 1 } });

    expect(invoked.statusCode).toBe(409);
    expect(invoked.json).toMatchObject({
      code: 'PLUGIN_NOT_ENABLED',
      state: 'disabled',
      stateReason: 'auto:error-rate',
    });
    expect(invoked.json.detail).toContain('auto:error-rate');
    expect(invocations).toHaveLength(0);
  });

  it('answers 409 VERSION_NOT_NEWER to an update to the installed version', async () => {
    await call('POST /v1/plugins', { body: installBody() });

    const updated = await call('POST /v1/plugins/{id}/update', { id: 'p1', body: { version: '1.0.0' } });

    expect(updated.statusCode).toBe(409);
    expect(updated.json).toMatchObject({ code: 'VERSION_NOT_NEWER', status: 409 });
  });

  it('answers 429 RATE_LIMITED with Retry-After when the tenant is at its concurrent-run cap', async () => {
    await call('POST /v1/plugins', { body: installBody() });
    await call('POST /v1/plugins/{id}/enable', { id: 'p1' });
    dependencies.invoker.invoke = async () =>
      refusedWith({ code: 'TenantConcurrencyExceeded', retryAfterSeconds: 3 });
    handler = lifecycleHandlerFor(dependencies);

    const refused = await call('POST /v1/plugins/{id}/invoke', { id: 'p1', body: { input: 1 } });

    expect(refused.statusCode).toBe(429);
    expect(refused.headers).toMatchObject({
      'content-type': 'application/problem+json',
      'retry-after': '3',
    });
    expect(refused.json).toMatchObject({ code: 'RATE_LIMITED', status: 429 });
  });

  it('answers 503 AUDIT_UNAVAILABLE with Retry-After, not a 500, when the run could not be recorded', async () => {
    await call('POST /v1/plugins', { body: installBody() });
    await call('POST /v1/plugins/{id}/enable', { id: 'p1' });
    dependencies.invoker.invoke = async () => refusedWith({ code: 'AuditUnavailable', retryAfterSeconds: 2 });
    handler = lifecycleHandlerFor(dependencies);

    const refused = await call('POST /v1/plugins/{id}/invoke', { id: 'p1', body: { input: 1 } });

    expect(refused.statusCode).toBe(503);
    expect(refused.headers).toMatchObject({
      'content-type': 'application/problem+json',
      'retry-after': '2',
    });
    expect(refused.json).toMatchObject({ code: 'AUDIT_UNAVAILABLE', status: 503 });
    expect(refused.json.value).toBeUndefined();
  });

  it('answers 503 EXECUTION_UNAVAILABLE when the run could not be admitted at all', async () => {
    await call('POST /v1/plugins', { body: installBody() });
    await call('POST /v1/plugins/{id}/enable', { id: 'p1' });
    dependencies.invoker.invoke = async () =>
      refusedWith({ code: 'RunLeaseUnavailable', retryAfterSeconds: 1 });
    handler = lifecycleHandlerFor(dependencies);

    const refused = await call('POST /v1/plugins/{id}/invoke', { id: 'p1', body: { input: 1 } });

    expect(refused.statusCode).toBe(503);
    expect(refused.headers?.['retry-after']).toBe('1');
    expect(refused.json.code).toBe('EXECUTION_UNAVAILABLE');
  });

  it('answers 404 PLUGIN_NOT_FOUND to invoking a plugin the tenant has not installed', async () => {
    await call('POST /v1/plugins', { body: installBody() });
    await call('POST /v1/plugins/{id}/enable', { id: 'p1' });

    const missing = await call('POST /v1/plugins/{id}/invoke', { id: 'nope', body: { input: 1 } });
    const otherTenant = await call('POST /v1/plugins/{id}/invoke', {
      id: 'p1',
      tenant: 't-globex',
      body: { input: 1 },
    });

    expect(missing.statusCode).toBe(404);
    expect(missing.json.code).toBe('PLUGIN_NOT_FOUND');
    expect(otherTenant.statusCode).toBe(404);
    expect(invocations).toHaveLength(0);
  });

  it('answers a run whose process died with 200 and the crash code, not a problem', async () => {
    await call('POST /v1/plugins', { body: installBody() });
    await call('POST /v1/plugins/{id}/enable', { id: 'p1' });
    dependencies.invoker.invoke = async () => ({ kind: 'crashed', code: 'MemoryLimitExceeded' });
    handler = lifecycleHandlerFor(dependencies);

    const invoked = await call('POST /v1/plugins/{id}/invoke', { id: 'p1', body: { input: 1 } });

    expect(invoked.statusCode).toBe(200);
    expect(invoked.json).toMatchObject({ ok: false, error: { code: 'MemoryLimitExceeded' } });
    expect(outbox.records).toEqual([
      expect.objectContaining({
        action: 'plugin:invoked',
        outcome: 'failure',
        code: 'MemoryLimitExceeded',
        tenantId: 't-acme',
        pluginId: 'p1',
      }),
    ]);
  });

  it('answers 503 AUDIT_UNAVAILABLE for a crashed run whose record cannot be written', async () => {
    await call('POST /v1/plugins', { body: installBody() });
    await call('POST /v1/plugins/{id}/enable', { id: 'p1' });
    dependencies.invoker.invoke = async () => ({ kind: 'crashed', code: 'SandboxCrashed' });
    outbox.failAppends = 3;
    handler = lifecycleHandlerFor(dependencies);

    const invoked = await call('POST /v1/plugins/{id}/invoke', { id: 'p1', body: { input: 1 } });

    expect(invoked.statusCode).toBe(503);
    expect(invoked.json).toMatchObject({ code: 'AUDIT_UNAVAILABLE' });
  });

  it('hides another tenant’s installs behind 404', async () => {
    await call('POST /v1/plugins', { body: installBody() });

    const peek = await call('GET /v1/plugins/{id}', { id: 'p1', tenant: 't-globex' });
    const touch = await call('POST /v1/plugins/{id}/enable', { id: 'p1', tenant: 't-globex' });

    expect(peek.statusCode).toBe(404);
    expect(touch.statusCode).toBe(404);
  });

  it('answers refusals as problems with a stable code and the field at fault', async () => {
    const badSignature = await call('POST /v1/plugins', {
      body: installBody({ signature: { keyId: 'pub-key-1', signature: h.publisher.sign('other bytes') } }),
    });
    const vulnerable = await call('POST /v1/plugins', {
      body: installBody({ metadata: sampleMetadata({ dependencies: [{ name: 'vm2', version: '3.9.0' }] }) }),
    });

    expect(badSignature.statusCode).toBe(422);
    expect(badSignature.headers?.['content-type']).toBe('application/problem+json');
    expect(badSignature.json).toMatchObject({
      code: 'SIGNATURE_INVALID',
      errors: [{ field: 'body.signature' }],
    });
    expect(vulnerable.json).toMatchObject({
      code: 'VULNERABLE_DEPENDENCY',
      errors: [{ field: 'body.metadata.dependencies.0' }, { field: 'body.metadata.dependencies.0' }],
      findings: expect.arrayContaining([
        { package: 'vm2', version: '3.9.0', advisoryId: 'GHSA-whgm-jr23-g3j9', severity: 'critical' },
        { package: 'vm2', version: '3.9.0', advisoryId: 'GHSA-cchq-frgv-rjh5', severity: 'critical' },
      ]),
    });
  });

  it('replays an install retried with the same Idempotency-Key and refuses the key with another body', async () => {
    const headers = { 'idempotency-key': 'install-p1-0001' };
    const body = installBody();

    const first = await call('POST /v1/plugins', { body, headers });
    const retry = await call('POST /v1/plugins', { body, headers });
    const other = await call('POST /v1/plugins', { body: installBody({ version: '1.0.1' }), headers });

    expect(first.statusCode).toBe(201);
    expect(retry.statusCode).toBe(201);
    expect(retry.json).toEqual(first.json);
    expect(retry.headers?.['idempotent-replayed']).toBe('true');
    expect(other.statusCode).toBe(422);
    expect(other.json.code).toBe('IDEMPOTENCY_KEY_REUSED');
  });

  it('reads the tenant policy with its ETag and writes it back with If-Match', async () => {
    const read = await call('GET /v1/tenant/policy');
    const policy = { ...read.json, allowedNetworkHosts: ['api.example.com'] };

    const written = await call('PUT /v1/tenant/policy', {
      body: policy,
      headers: { 'if-match': read.headers?.etag as string },
    });
    const invalid = await call('PUT /v1/tenant/policy', {
      body: { ...policy, minimumSignatureLevel: 'none' },
      headers: { 'if-match': '*' },
    });

    expect(written.statusCode).toBe(200);
    expect(written.json).toEqual(policy);
    expect(written.headers?.etag).toBe(`"${Number(JSON.parse(read.headers?.etag as string)) + 1}"`);
    expect(invalid.statusCode).toBe(400);
    expect(invalid.json.errors[0].field).toBe('body.minimumSignatureLevel');
  });

  it('answers 200 to a policy change committed with its record, even while standalone appends fail', async () => {
    const read = await call('GET /v1/tenant/policy');
    h.outbox.failAppends = 3;

    const etag = String(read.headers?.etag);
    const written = await call('PUT /v1/tenant/policy', { body: read.json, headers: { 'if-match': etag } });

    expect(written.statusCode).toBe(200);
    const version = Number(JSON.parse(etag)) + 1;
    expect(written.headers?.etag).toBe(`"${version}"`);
    expect(h.outbox.records.map((record) => [record.action, record.outcome, record.reason])).toEqual([
      ['policy:update', 'success', `version ${version}`],
    ]);
  });

  it('answers 503 AUDIT_UNAVAILABLE to a refused policy change whose record cannot be written', async () => {
    const read = await call('GET /v1/tenant/policy');
    h.outbox.failAppends = 3;

    // No If-Match: refused (PRECONDITION_REQUIRED), and that refusal must be recorded first.
    const refused = await call('PUT /v1/tenant/policy', { body: read.json });

    expect(refused.statusCode).toBe(503);
    expect(refused.json.code).toBe('AUDIT_UNAVAILABLE');
    expect(h.outbox.records).toEqual([]);
  });

  it('needs plugins:admin to change anything', async () => {
    const response = await call('POST /v1/plugins', { body: installBody(), scopes: ['plugins:read'] });

    expect(response.statusCode).toBe(403);
  });

  it('answers any JSON body with a 2xx or a 4xx problem, never a 5xx', async () => {
    const token = await issuer.token('t-acme', ADMIN, 'admin-1');

    await fc.assert(
      fc.asyncProperty(
        fc.jsonValue(),
        fc.constantFrom('POST /v1/plugins', 'PUT /v1/tenant/policy'),
        async (body, route) => {
          const response = await handler(
            httpEvent(route, { headers: { authorization: `Bearer ${token}` }, body: JSON.stringify(body) }),
            context,
          );
          expect(response.statusCode).toBeGreaterThanOrEqual(200);
          expect(response.statusCode).toBeLessThan(500);
        },
      ),
      { numRuns: 150 },
    );
  });

  it('never writes the token, the body or a canary PHI string to the logs', async () => {
    vi.stubEnv('POWERTOOLS_LOG_LEVEL', 'DEBUG');
    const lines: string[] = [];
    vi.spyOn(process.stdout, 'write').mockImplementation((chunk) => {
      lines.push(String(chunk));
      return true;
    });
    const verbose = lifecycleHandlerFor(dependencies);
    const token = await issuer.token('t-acme', ADMIN, 'admin-1');
    const canary = 'CANARY-PHI-Jane-Roe-1970-01-01';

    for (const body of [installBody({ metadata: sampleMetadata({ description: canary }) }), { id: canary }]) {
      await verbose(
        httpEvent('POST /v1/plugins', {
          headers: { authorization: `Bearer ${token}`, 'x-patient': canary },
          body,
          query: { q: canary },
        }),
        context,
      );
    }
    vi.restoreAllMocks();
    vi.unstubAllEnvs();

    expect(lines.length).toBeGreaterThan(0);
    expect(lines.join('')).not.toContain('CANARY-PHI');
    expect(lines.join('')).not.toContain(token);
  });

  describe('the api:request record of every request', () => {
    const requestRecords = () =>
      requestOutbox.records.filter((record) => record.action === 'api:request') as Record<string, unknown>[];

    it('records who asked for which route and target, from where, the scopes used and the status', async () => {
      await call('POST /v1/plugins', { body: installBody() });
      await call('GET /v1/plugins/{id}', { id: 'p1', scopes: ['plugins:read', 'marketplace:review'] });

      expect(requestRecords()).toEqual([
        expect.objectContaining({
          outcome: 'success',
          actor: 't-acme/admin-1',
          tenantId: 't-acme',
          request: expect.objectContaining({ routeKey: 'POST /v1/plugins', status: 201 }),
        }),
        expect.objectContaining({
          outcome: 'success',
          pluginId: 'p1',
          request: {
            routeKey: 'GET /v1/plugins/{id}',
            status: 200,
            scopes: ['plugins:read'],
            sourceIp: '192.0.2.1',
            userAgent: 'vitest',
            targetIds: { id: 'p1' },
          },
        }),
      ]);
      expect(new Set(requestRecords().map((record) => record.requestId)).size).toBe(2);
    });

    it('records refusals with their code, and an unauthenticated one as anonymous', async () => {
      await call('GET /v1/plugins/{id}', { id: 'missing' });
      await handler(httpEvent('GET /v1/plugins'), context);

      expect(requestRecords()).toEqual([
        expect.objectContaining({ outcome: 'refused', code: 'PLUGIN_NOT_FOUND', tenantId: 't-acme' }),
        expect.objectContaining({ outcome: 'refused', code: 'UNAUTHENTICATED', actor: 'anonymous' }),
      ]);
      expect(requestRecords()[1]).not.toHaveProperty('tenantId');
    });

    it('keeps a request body out of the record', async () => {
      await call('POST /v1/plugins', { body: installBody({ id: 'Jane Doe 1970-01-01' }) });

      expect(JSON.stringify(requestOutbox.entries)).not.toContain('Jane Doe');
    });

    it('answers a read whose record cannot be written with 503 AUDIT_UNAVAILABLE, not its data', async () => {
      await call('POST /v1/plugins', { body: installBody() });
      requestOutbox.failAppends = 3;

      const read = await call('GET /v1/plugins/{id}', { id: 'p1' });

      expect(read.statusCode).toBe(503);
      expect(read.json.code).toBe('AUDIT_UNAVAILABLE');
      expect(read.headers?.['retry-after']).toBe('1');
      expect(JSON.stringify(read.json)).not.toContain('sha256');
    });

    it('hands a run the invoke request’s record to commit in its settlement, and writes no second one', async () => {
      await call('POST /v1/plugins', { body: installBody() });
      await call('POST /v1/plugins/{id}/enable', { id: 'p1' });
      const before = requestRecords().length;

      const invoked = await call('POST /v1/plugins/{id}/invoke', { id: 'p1', body: { input: 1 } });

      expect(invoked.statusCode).toBe(200);
      expect(invocations[0]?.requestRecord).toMatchObject({
        action: 'api:request',
        outcome: 'success',
        actor: 't-acme/admin-1',
        pluginId: 'p1',
        request: expect.objectContaining({ routeKey: 'POST /v1/plugins/{id}/invoke', status: 200 }),
      });
      expect(requestRecords()).toHaveLength(before);
    });

    it('records an invoke request itself when no run committed its record (a refusal)', async () => {
      await call('POST /v1/plugins', { body: installBody() });
      const before = requestRecords().length;

      const refused = await call('POST /v1/plugins/{id}/invoke', { id: 'p1', body: { input: 1 } });

      expect(refused.statusCode).toBe(409);
      expect(requestRecords().slice(before)).toEqual([
        expect.objectContaining({ outcome: 'refused', code: 'PLUGIN_NOT_ENABLED' }),
      ]);
    });

    it('keeps the answer of a committed change when only its request record fails', async () => {
      requestOutbox.failAppends = 3;

      const installed = await call('POST /v1/plugins', { body: installBody() });

      expect(installed.statusCode).toBe(201);
    });
  });
});
