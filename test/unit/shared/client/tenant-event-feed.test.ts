import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { PluginService, type TenantEvent } from '../../../../shared/client/index.ts';
import { json, scriptedFetch } from '../../../support/scripted-fetch.ts';

const event = (id: string, name: TenantEvent['name'], detail: Record<string, unknown> = {}) => ({
  id,
  name,
  time: '2026-12-02T10:00:00.000Z',
  tenantId: 't-acme',
  detail: { tenantId: 't-acme', pluginId: 'p1', version: '1.0.0', ...detail },
});
const feedPage = (items: unknown[], cursor: string) => json(200, { items, cursor });

function pluginsWith(fetch: typeof globalThis.fetch, events: Record<string, unknown> = {}) {
  return new PluginService({
    endpoint: 'https://plugins.example.test',
    token: 't',
    fetch,
    retry: { attempts: 1 },
    events: { intervalMs: 1_000, maxIntervalMs: 8_000, limit: 2, ...events },
  });
}

describe('on() over the events feed', () => {
  beforeEach(() => {
    vi.useFakeTimers();
  });
  afterEach(() => {
    vi.useRealTimers();
  });

  it('starts polling on the first on() and hands each handler the detail with the envelope', async () => {
    const server = scriptedFetch(
      feedPage([event('e1', 'plugin:installed'), event('e2', 'plugin:enabled')], 'c2'),
      feedPage([], 'c2'),
    );
    const plugins = pluginsWith(server.fetch);
    const enabled: unknown[] = [];

    plugins.on('plugin:enabled', (payload) => {
      enabled.push(payload);
    });
    await vi.advanceTimersByTimeAsync(0);
    await plugins.events.stop();

    expect(enabled).toEqual([
      {
        id: 'e2',
        name: 'plugin:enabled',
        time: '2026-12-02T10:00:00.000Z',
        tenantId: 't-acme',
        pluginId: 'p1',
        version: '1.0.0',
      },
    ]);
    expect(server.sent[0]?.url.pathname).toBe('/v1/events');
    expect(server.sent[0]?.url.searchParams.get('after')).toBeNull();
    expect(server.sent[0]?.url.searchParams.get('limit')).toBe('2');
  });

  it('reads on while pages are full, then resumes from the last cursor after the interval', async () => {
    const server = scriptedFetch(
      feedPage([event('e1', 'plugin:installed'), event('e2', 'plugin:enabled')], 'c2'),
      feedPage([event('e3', 'plugin:disabled')], 'c3'),
      feedPage([event('e4', 'plugin:error', { code: 'PLUGIN_TIMEOUT' })], 'c4'),
    );
    const plugins = pluginsWith(server.fetch);
    const seen: string[] = [];
    for (const type of ['plugin:installed', 'plugin:enabled', 'plugin:disabled', 'plugin:error'] as const)
      plugins.on(type, ({ id }) => {
        seen.push(id);
      });

    await vi.advanceTimersByTimeAsync(0);
    const afterFirstPoll = [...seen];
    await vi.advanceTimersByTimeAsync(1_000);
    await plugins.events.stop();

    expect(afterFirstPoll).toEqual(['e1', 'e2', 'e3']);
    expect(seen).toEqual(['e1', 'e2', 'e3', 'e4']);
    expect(server.sent.map((request) => request.url.searchParams.get('after'))).toEqual([null, 'c2', 'c3']);
    expect(plugins.events.cursor).toBe('c4');
  });

  it('resumes from a cursor the caller kept, and sends the types it asked the server to filter', async () => {
    const server = scriptedFetch(feedPage([], 'c9'));
    const plugins = pluginsWith(server.fetch, {
      cursor: 'c8',
      types: ['plugin:error', 'plugin:resource:exceeded'],
    });

    plugins.on('plugin:error', () => undefined);
    await vi.advanceTimersByTimeAsync(0);
    await plugins.events.stop();

    expect(server.sent[0]?.url.searchParams.get('after')).toBe('c8');
    expect(server.sent[0]?.url.searchParams.get('types')).toBe('plugin:error,plugin:resource:exceeded');
  });

  it('delivers an event once even when the feed answers it again', async () => {
    const server = scriptedFetch(
      feedPage([event('e1', 'plugin:enabled'), event('e2', 'plugin:enabled')], 'c1'),
      feedPage([event('e2', 'plugin:enabled')], 'c2'),
    );
    const plugins = pluginsWith(server.fetch, { autoStart: false });
    const seen: string[] = [];
    plugins.on('plugin:enabled', ({ id }) => {
      seen.push(id);
    });

    const delivered = await plugins.events.poll();

    expect(delivered).toBe(2);
    expect(seen).toEqual(['e1', 'e2']);
  });

  it('waits for the next poll when a full page does not move the cursor', async () => {
    const server = scriptedFetch(
      feedPage([event('e1', 'plugin:enabled'), event('e2', 'plugin:enabled')], 'c2'),
      feedPage([event('e1', 'plugin:enabled'), event('e2', 'plugin:enabled')], 'c2'),
    );
    const plugins = pluginsWith(server.fetch, { autoStart: false });

    const delivered = await plugins.events.poll();

    expect(delivered).toBe(2);
    expect(server.sent).toHaveLength(2);
  });

  it("reports a handler's throw to the error listeners and goes on with the next handler and event", async () => {
    const server = scriptedFetch(
      feedPage([event('e1', 'plugin:disabled'), event('e2', 'plugin:disabled')], 'c2'),
      feedPage([], 'c2'),
    );
    const plugins = pluginsWith(server.fetch, { autoStart: false });
    const errors: [unknown, string | undefined][] = [];
    const seen: string[] = [];
    plugins.on('error', (error, failed) => errors.push([error, failed?.id]));
    plugins.on('plugin:disabled', ({ id }) => {
      if (id === 'e1') throw new Error('handler bug');
    });
    plugins.on('plugin:disabled', async ({ id }) => {
      seen.push(id);
    });

    await plugins.events.poll();

    expect(seen).toEqual(['e1', 'e2']);
    expect(errors.map(([error, id]) => [(error as Error).message, id])).toEqual([['handler bug', 'e1']]);
  });

  it('keeps polling after a failed poll, backing off, and reports the failure', async () => {
    const server = scriptedFetch(
      json(503, {}),
      json(503, {}),
      feedPage([event('e1', 'plugin:resource:exceeded', { resource: 'cpu', limit: 100 })], 'c1'),
    );
    const plugins = pluginsWith(server.fetch);
    const failures: number[] = [];
    const exceeded: unknown[] = [];
    plugins.on('error', (error) => failures.push((error as { status: number }).status));
    plugins.on('plugin:resource:exceeded', ({ resource, limit }) => {
      exceeded.push([resource, limit]);
    });

    await vi.advanceTimersByTimeAsync(0);
    await vi.advanceTimersByTimeAsync(1_999);
    const beforeBackoff = server.sent.length;
    await vi.advanceTimersByTimeAsync(1);
    await vi.advanceTimersByTimeAsync(4_000);
    await plugins.events.stop();

    expect(beforeBackoff).toBe(1);
    expect(failures).toEqual([503, 503]);
    expect(exceeded).toEqual([['cpu', 100]]);
  });

  it('stops polling on stop() and after off() no longer calls the handler', async () => {
    const server = scriptedFetch(
      feedPage([event('e1', 'plugin:enabled')], 'c1'),
      feedPage([event('e2', 'plugin:enabled')], 'c2'),
    );
    const plugins = pluginsWith(server.fetch);
    const seen: string[] = [];
    const handler = ({ id }: { id: string }) => {
      seen.push(id);
    };
    plugins.on('plugin:enabled', handler);

    await vi.advanceTimersByTimeAsync(0);
    plugins.off('plugin:enabled', handler);
    await vi.advanceTimersByTimeAsync(1_000);
    await plugins.events.stop();
    await vi.advanceTimersByTimeAsync(10_000);

    expect(seen).toEqual(['e1']);
    expect(server.sent).toHaveLength(2);
    expect(vi.getTimerCount()).toBe(0);
  });

  it('runs one polling loop when restarted while a poll is still in flight', async () => {
    let answerFirst: (response: Response) => void = () => undefined;
    const server = scriptedFetch(
      () => new Promise<Response>((resolve) => (answerFirst = resolve)),
      feedPage([], 'c1'),
      feedPage([], 'c1'),
    );
    const plugins = pluginsWith(server.fetch);
    plugins.on('plugin:enabled', () => undefined);

    await vi.advanceTimersByTimeAsync(0);
    const stopped = plugins.events.stop();
    plugins.events.start();
    answerFirst(feedPage([], 'c1'));
    await stopped;
    await vi.advanceTimersByTimeAsync(1_000);
    await plugins.events.stop();

    expect(server.sent).toHaveLength(2);
    expect(vi.getTimerCount()).toBe(0);
  });
});
