import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import {
  GradiantApiError,
  GradiantNetworkError,
  GradiantResponseError,
  PluginService,
} from '../../../../shared/client/index.ts';
import { anInstallation } from '../../../support/installation-factory.ts';
import { json, problem, type SentRequest, scriptedFetch } from '../../../support/scripted-fetch.ts';

const ENDPOINT = 'https://plugins.example.test/prod';
const INSTALL = { id: 'p1', version: '1.0.0', code: 'export default {}', metadata: { name: 'N' } };
const page = (items: unknown[], nextCursor?: string) =>
  json(200, { items, ...(nextCursor ? { nextCursor } : {}) });

function pluginsWith(fetch: typeof globalThis.fetch, overrides: Record<string, unknown> = {}) {
  return new PluginService({
    endpoint: ENDPOINT,
    token: 'tkn',
    fetch,
    random: () => 1,
    retry: { attempts: 3, baseDelayMs: 100, maxDelayMs: 5_000 },
    ...overrides,
  });
}

describe('the client transport', () => {
  beforeEach(() => {
    vi.useFakeTimers();
  });
  afterEach(() => {
    vi.useRealTimers();
  });

  it('sends the route with its path, body, bearer token, media type and user agent', async () => {
    const server = scriptedFetch(json(200, anInstallation({ state: 'enabled' })));
    const plugins = pluginsWith(server.fetch, { userAgent: 'acme-ehr/4.2' });

    const enabled = await plugins.enablePlugin('p 1/x', { grants: ['read:patients'] });

    const [sent] = server.sent;
    expect(enabled.state).toBe('enabled');
    expect(sent?.method).toBe('POST');
    expect(sent?.url.href).toBe(`${ENDPOINT}/v1/plugins/p%201%2Fx/enable`);
    expect(sent?.headers).toMatchObject({
      authorization: 'Bearer tkn',
      'content-type': 'application/json',
      'user-agent': 'gradiant-plugins-client acme-ehr/4.2',
    });
    expect(sent?.body).toEqual({ grants: ['read:patients'] });
  });

  it('asks the token provider before every request, so a refreshed token is used', async () => {
    const server = scriptedFetch(page([]), page([]));
    let issued = 0;
    const plugins = pluginsWith(server.fetch, { token: async () => `token-${++issued}` });

    await plugins.listPlugins().toArray();
    await plugins.listPlugins().toArray();

    expect(server.sent.map((request) => request.headers.authorization)).toEqual([
      'Bearer token-1',
      'Bearer token-2',
    ]);
  });

  it('retries a GET on 503 with exponential backoff until it succeeds', async () => {
    const server = scriptedFetch(problem(503, { code: 'INTERNAL_ERROR' }), json(502, {}), page([]));
    const listed = pluginsWith(server.fetch).listPlugins().toArray();

    await vi.advanceTimersByTimeAsync(99);
    const afterFirstWait = server.sent.length;
    await vi.advanceTimersByTimeAsync(1);
    const afterFirstRetry = server.sent.length;
    await vi.advanceTimersByTimeAsync(199);
    const beforeSecondRetry = server.sent.length;
    await vi.advanceTimersByTimeAsync(1);

    expect([afterFirstWait, afterFirstRetry, beforeSecondRetry]).toEqual([1, 2, 2]);
    expect(await listed).toEqual([]);
    expect(server.sent).toHaveLength(3);
  });

  it('waits as long as Retry-After asks before retrying a 429', async () => {
    const server = scriptedFetch(problem(429, { code: 'RATE_LIMITED' }, { 'retry-after': '2' }), page([]));
    const listed = pluginsWith(server.fetch).listPlugins().toArray();

    await vi.advanceTimersByTimeAsync(1_999);
    const beforeRetryAfter = server.sent.length;
    await vi.advanceTimersByTimeAsync(1);

    expect(beforeRetryAfter).toBe(1);
    expect(await listed).toEqual([]);
  });

  it('gives up at once when Retry-After is longer than the longest wait allowed', async () => {
    const server = scriptedFetch(problem(503, { code: 'INTERNAL_ERROR' }, { 'retry-after': '60' }));

    const failure = await pluginsWith(server.fetch)
      .getPlugin('p1')
      .catch((error: unknown) => error);

    expect(failure).toBeInstanceOf(GradiantApiError);
    expect((failure as GradiantApiError).retryAfterSeconds).toBe(60);
    expect(server.sent).toHaveLength(1);
  });

  it('stops after the configured number of attempts and throws the last answer', async () => {
    const server = scriptedFetch(json(504, {}), json(504, {}), json(504, {}));
    const failure = pluginsWith(server.fetch)
      .getPlugin('p1')
      .catch((error: unknown) => error);

    await vi.advanceTimersByTimeAsync(10_000);

    expect(await failure).toMatchObject({ status: 504, code: 'UNRECOGNISED_RESPONSE' });
    expect(server.sent).toHaveLength(3);
  });

  it('sends an Idempotency-Key on installs and the same one on each retry', async () => {
    const server = scriptedFetch(
      new TypeError('fetch failed'),
      problem(503, { code: 'INTERNAL_ERROR' }),
      json(201, anInstallation()),
    );
    const installed = pluginsWith(server.fetch).installPlugin(INSTALL);

    await vi.advanceTimersByTimeAsync(1_000);

    expect((await installed).pluginId).toBe('p1');
    const keys = server.sent.map((request) => request.headers['idempotency-key']);
    expect(keys).toHaveLength(3);
    expect(new Set(keys).size).toBe(1);
    expect(keys[0]).toMatch(/^[0-9a-f-]{36}$/);
  });

  it('retries an install whose first attempt is still running on the server, with the same key', async () => {
    const server = scriptedFetch(
      new TypeError('connection reset'),
      problem(409, { code: 'IDEMPOTENCY_REQUEST_IN_PROGRESS' }),
      json(201, anInstallation()),
    );
    const installed = pluginsWith(server.fetch).installPlugin(INSTALL);

    await vi.advanceTimersByTimeAsync(1_000);

    expect((await installed).pluginId).toBe('p1');
    expect(new Set(server.sent.map((request) => request.headers['idempotency-key'])).size).toBe(1);
  });

  it('does not retry a 409 that is a real conflict', async () => {
    const server = scriptedFetch(problem(409, { code: 'ILLEGAL_TRANSITION' }));

    const failure = await pluginsWith(server.fetch)
      .updatePlugin('p1', { version: '2.0.0' })
      .catch((error: unknown) => error);

    expect(failure).toMatchObject({ status: 409, code: 'ILLEGAL_TRANSITION' });
    expect(server.sent).toHaveLength(1);
  });

  it('uses a fresh key per install call, or the one the caller gives', async () => {
    const server = scriptedFetch(
      json(201, anInstallation()),
      json(201, anInstallation()),
      json(200, anInstallation()),
    );
    const plugins = pluginsWith(server.fetch);

    await plugins.installPlugin(INSTALL);
    await plugins.installPlugin(INSTALL);
    await plugins.updatePlugin('p1', { version: '1.1.0' }, { idempotencyKey: 'update-p1-1.1.0' });

    const [first, second, update] = server.sent.map((request) => request.headers['idempotency-key']);
    expect(first).not.toBe(second);
    expect(update).toBe('update-p1-1.1.0');
  });

  it('never retries a POST without an Idempotency-Key (invoke), nor sends a key there', async () => {
    const unavailable = scriptedFetch(problem(503, { code: 'INTERNAL_ERROR' }, { 'retry-after': '1' }));
    const unreachable = scriptedFetch(new TypeError('socket hang up'));

    const refused = await pluginsWith(unavailable.fetch)
      .invokePlugin('p1', { a: 1 })
      .catch((error: unknown) => error);
    const lost = await pluginsWith(unreachable.fetch)
      .invokePlugin('p1')
      .catch((error: unknown) => error);

    expect(refused).toMatchObject({ status: 503 });
    expect(unavailable.sent).toHaveLength(1);
    expect(unavailable.sent[0]?.headers['idempotency-key']).toBeUndefined();
    expect(lost).toBeInstanceOf(GradiantNetworkError);
    expect((lost as GradiantNetworkError).message).toBe(
      `POST ${ENDPOINT}/v1/plugins/p1/invoke failed before an answer`,
    );
    expect(unreachable.sent).toHaveLength(1);
  });

  it('aborts an attempt that gets no complete answer in time, and retries it when repeatable', async () => {
    const hanging = (request: SentRequest) =>
      new Promise<Response>((_, reject) => {
        request.signal?.addEventListener('abort', () => reject(request.signal?.reason));
      });
    const server = scriptedFetch(hanging, page([]));
    const invoked = scriptedFetch(hanging);
    const listed = pluginsWith(server.fetch, { timeoutMs: 1_000 }).listPlugins().toArray();
    const run = pluginsWith(invoked.fetch, { timeoutMs: 1_000 })
      .invokePlugin('p1')
      .catch((error: unknown) => error);

    await vi.advanceTimersByTimeAsync(999);
    const beforeTimeout = server.sent.length;
    await vi.advanceTimersByTimeAsync(1 + 100);

    expect(beforeTimeout).toBe(1);
    expect(await listed).toEqual([]);
    expect(await run).toBeInstanceOf(GradiantNetworkError);
    expect(((await run) as Error).cause).toMatchObject({ message: 'no complete answer within 1000 ms' });
    expect(invoked.sent).toHaveLength(1);
  });

  it('turns a problem+json answer into a GradiantApiError with code, fields, findings and request id', async () => {
    const server = scriptedFetch(
      problem(422, {
        code: 'VULNERABLE_DEPENDENCY',
        detail: 'vm2@3.9.19 is affected by GHSA-1',
        instance: 'req-123',
        errors: [{ field: 'body.metadata.dependencies.0', message: 'GHSA-1 (critical)' }],
        findings: [{ package: 'vm2', version: '3.9.19', advisoryId: 'GHSA-1', severity: 'critical' }],
      }),
    );

    const failure = await pluginsWith(server.fetch)
      .installPlugin(INSTALL)
      .catch((error: unknown) => error);

    expect(failure).toBeInstanceOf(GradiantApiError);
    expect(failure).toMatchObject({
      status: 422,
      code: 'VULNERABLE_DEPENDENCY',
      title: 'T',
      detail: 'vm2@3.9.19 is affected by GHSA-1',
      requestId: 'req-123',
      errors: [{ field: 'body.metadata.dependencies.0', message: 'GHSA-1 (critical)' }],
      findings: [{ package: 'vm2', version: '3.9.19', advisoryId: 'GHSA-1', severity: 'critical' }],
      method: 'POST',
      url: `${ENDPOINT}/v1/plugins`,
    });
    expect((failure as Error).message).toBe(
      `POST ${ENDPOINT}/v1/plugins answered 422 VULNERABLE_DEPENDENCY: vm2@3.9.19 is affected by GHSA-1`,
    );
  });

  it('names an answer that is no platform problem UNRECOGNISED_RESPONSE, with the x-request-id', async () => {
    const server = scriptedFetch(
      new Response('<html>Bad gateway</html>', { status: 404, headers: { 'x-request-id': 'gw-1' } }),
    );

    const failure = await pluginsWith(server.fetch)
      .getPlugin('p1')
      .catch((error: unknown) => error);

    expect(failure).toMatchObject({ status: 404, code: 'UNRECOGNISED_RESPONSE', requestId: 'gw-1' });
  });

  it('refuses a success body that does not match the route schema, unless validation is off', async () => {
    const skewed = { ...anInstallation(), state: 'hibernating' };
    const strict = scriptedFetch(json(200, skewed));
    const lenient = scriptedFetch(json(200, skewed));

    const failure = await pluginsWith(strict.fetch)
      .getPlugin('p1')
      .catch((error: unknown) => error);
    const passed = await pluginsWith(lenient.fetch, { validateResponses: false }).getPlugin('p1');

    expect(failure).toBeInstanceOf(GradiantResponseError);
    expect((failure as GradiantResponseError).issues[0]?.field).toBe('state');
    expect(passed.state).toBe('hibernating');
  });

  it('sends no body on routes without one and answers nothing for a 204', async () => {
    const server = scriptedFetch(new Response(null, { status: 204 }), json(200, anInstallation()));
    const plugins = pluginsWith(server.fetch);

    const uninstalled = await plugins.uninstallPlugin('p1');
    await plugins.disablePlugin('p1');

    expect(uninstalled).toBeUndefined();
    expect(server.sent.map((request) => [request.method, request.url.pathname, request.body])).toEqual([
      ['DELETE', '/prod/v1/plugins/p1', undefined],
      ['POST', '/prod/v1/plugins/p1/disable', undefined],
    ]);
    expect(server.sent[1]?.headers['content-type']).toBeUndefined();
  });

  it('refuses an endpoint that would send tokens in clear text, but allows a local platform', () => {
    const make = (endpoint: string) => () => new PluginService({ endpoint, token: 't' });

    expect(make('http://plugins.example.test')).toThrow('endpoint must use https');
    expect(make('not a url')).toThrow('absolute URL');
    expect(make('http://localhost:3000')).not.toThrow();
    expect(make('http://127.0.0.1:3000')).not.toThrow();
  });
});
