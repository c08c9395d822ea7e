import fc from 'fast-check';
import { afterAll, describe, expect, it } from 'vitest';
import { createInMemoryPluginStorage } from '../../../../shared/sandbox/in-memory-plugin-storage.ts';
import { RATE_WINDOW_MS } from '../../../../shared/sandbox/limits.ts';
import type { JsonValue } from '../../../../shared/sandbox/schemas.ts';
import { InMemoryUsageCounters, type UsageCounters } from '../../../../shared/sandbox/usage-counters.ts';
import { pluginWith, recordingHost } from '../../../support/sandbox/recording-host.ts';
import { createTestSandbox } from '../../../support/sandbox/sandbox-harness.ts';

const { sandbox, run, exceeded } = createTestSandbox();
afterAll(() => sandbox.dispose());

describe('PluginSandbox.run', () => {
  it('runs execute with the input and api and reports value, usage, logs and events', async () => {
    const code = pluginWith(`
      const patient = await api.patients.get(input.patientId);
      api.logger.info('loaded', { patientId: patient.id });
      api.logger.error('warned', new TypeError('bad'));
      await api.events.emit('loaded', { patientId: patient.id });
      return { name: patient.name };`);

    const result = await run(code, { input: { patientId: 'p-a1' } });

    expect(result).toMatchObject({
      ok: true,
      value: { name: 'Ada Example' },
      logs: [
        { level: 'info', message: 'loaded', meta: { patientId: 'p-a1' } },
        { level: 'error', message: 'warned', meta: { name: 'TypeError', message: 'bad' } },
      ],
      events: [{ name: 'plugin-event:test-plugin:loaded', data: { patientId: 'p-a1' } }],
      usage: { dataCalls: 1, networkCalls: 0, storageBytes: 0 },
    });
    expect(result.usage.wallMs).toBeGreaterThan(0);
    expect(result.usage.cpuMs).toBeGreaterThan(0);
    expect(result.usage.peakHeapBytes).toBeGreaterThan(0);
  });

  it('runs onEvent with the event when asked for that entry', async () => {
    const code = 'export default { onEvent(event) { return { seen: event.name, id: event.data.id } } };';

    const result = await run(code, {
      entry: 'onEvent',
      input: { name: 'appointment:cancelled', data: { id: 'a-1' } },
    });

    expect(result).toMatchObject({ ok: true, value: { seen: 'appointment:cancelled', id: 'a-1' } });
  });

  it('ends with PluginError when the entry is missing', async () => {
    const result = await run('export default { execute() {} };', { entry: 'onEvent' });

    expect(result).toMatchObject({
      ok: false,
      error: { code: 'PluginError', message: expect.stringContaining('onEvent') },
    });
  });

  it('turns a Date argument into an ISO string before the host sees it', async () => {
    const host = recordingHost();
    const code = pluginWith(`return api.appointments.reschedule('a-a1', new Date(Date.UTC(2026, 1, 2, 9)));`);

    const result = await run(code, { host });

    expect(host.calls[0]?.args).toEqual(['a-a1', '2026-02-02T09:00:00.000Z']);
    expect(result).toMatchObject({
      ok: true,
      value: { start: '2026-02-02T09:00:00.000Z', end: '2026-02-02T09:30:00.000Z' },
    });
  });

  it('rejects api arguments that fail validation with InvalidArgument, naming the argument only', async () => {
    const code = pluginWith(`return api.appointments.reschedule('a-a1', 'next tuesday');`);

    const result = await run(code);

    expect(result).toMatchObject({
      ok: false,
      error: { code: 'InvalidArgument', message: expect.stringContaining('argument 1') },
    });
  });

  it('answers InvalidArgument for a request that is not valid, without running anything', async () => {
    const result = await run('export default {};', { tenantId: '' });

    expect(result).toMatchObject({
      ok: false,
      error: { code: 'InvalidArgument', message: expect.stringContaining('tenantId') },
    });
  });

  it('enforces the storage quota with QuotaExceeded', async () => {
    const code = pluginWith(`
      await api.storage.set('small', 'x');
      try { await api.storage.set('big', 'y'.repeat(200)); } catch (error) { return error.code; }`);

    const result = await run(code, { limits: { storageBytes: 100 } });

    expect(result).toMatchObject({ ok: true, value: 'QuotaExceeded' });
    expect(result.usage.storageBytes).toBe(8);
  });

  it('leaves the quota check to a store that checks it atomically with the write', async () => {
    const entries = new Map<string, JsonValue>([['earlier', 'e'.repeat(40)]]);
    const storage = createInMemoryPluginStorage(entries);
    const quotaChecks: number[] = [];
    const host = {
      ...recordingHost(),
      storage: {
        ...storage,
        set: () => Promise.reject(new Error('the sandbox must not bypass setWithinQuota')),
        setWithinQuota: (key: string, value: JsonValue, quotaBytes: number) => {
          quotaChecks.push(quotaBytes);
          return storage.setWithinQuota?.(key, value, quotaBytes) ?? Promise.reject(new Error('missing'));
        },
      },
    };
    const code = pluginWith(`
      await api.storage.set('small', 'x');
      await api.storage.delete('earlier');
      try { await api.storage.set('big', 'y'.repeat(200)); } catch (error) { return error.code; }`);

    const result = await run(code, { host, limits: { storageBytes: 100 } });

    expect(result).toMatchObject({ ok: true, value: 'QuotaExceeded', usage: { storageBytes: 8 } });
    expect(quotaChecks).toEqual([100, 100]);
    expect([...entries.keys()]).toEqual(['small']);
    expect(exceeded).toContainEqual(
      expect.objectContaining({ resource: 'storage', limit: 100, observed: 213 }),
    );
  });

  it('runs four invocations of one plugin concurrently', async () => {
    const code = pluginWith(`const p = await api.patients.get('p-a1'); return [input, p.id];`);

    const results = await Promise.all(
      [1, 2, 3, 4].map((input) => run(code, { input, pluginId: 'concurrent' })),
    );

    expect(results.map((result) => (result.ok ? result.value : result.error.code))).toEqual([
      [1, 'p-a1'],
      [2, 'p-a1'],
      [3, 'p-a1'],
      [4, 'p-a1'],
    ]);
  });

  it('bounds the logs a run may return', async () => {
    const result = await run(
      pluginWith(`for (let i = 0; i < 500; i++) api.logger.info('line ' + i); return null;`),
    );

    expect(result.logs).toHaveLength(201);
    expect(result.logs.at(-1)).toMatchObject({
      level: 'warn',
      message: expect.stringContaining('log limit'),
    });
  });

  it('returns any JSON input unchanged through a plugin that echoes it, minus __proto__ keys', async () => {
    // "__proto__" keys never cross the bridge (prototype pollution), so they are not echoed.
    const withoutProtoKeys = (key: string, value: unknown) => (key === '__proto__' ? undefined : value);
    await fc.assert(
      fc.asyncProperty(fc.jsonValue({ maxDepth: 3 }), async (input) => {
        const result = await run('export default { execute(input) { return input; } };', { input });

        expect(result).toMatchObject({ ok: true });
        expect(result.ok ? result.value : undefined).toEqual(
          JSON.parse(JSON.stringify(input), withoutProtoKeys),
        );
      }),
      { numRuns: 40 },
    );
  });

  it('answers after dispose with SandboxCrashed instead of running', async () => {
    const { sandbox: disposable, run: runDisposed } = createTestSandbox();
    await disposable.dispose();

    const result = await runDisposed('export default { execute() { return 1; } };');

    expect(result).toMatchObject({ ok: false, error: { code: 'SandboxCrashed' } });
  });
});

describe('PluginSandbox with bundler output', () => {
  it('runs a plugin bundled by esbuild as one ES module', async () => {
    const { build } = await import('esbuild');
    const bundled = await build({
      stdin: {
        contents: `const greet = (name) => 'hello ' + name;\nexport default { execute: (input) => greet(input.name) };`,
        loader: 'js',
      },
      bundle: true,
      format: 'esm',
      write: false,
    });
    const code = bundled.outputFiles[0]?.text ?? '';

    const result = await run(code, { input: { name: 'plugin' } });

    expect(result).toMatchObject({ ok: true, value: 'hello plugin' });
  });
});

describe('PluginSandbox with a class-based host', () => {
  it('calls host methods defined on a prototype', async () => {
    class ClassHost {
      readonly patients = new (class {
        async search() {
          return [];
        }
        async get(id: string) {
          return { id, name: 'From A Class' };
        }
        async update() {
          return null;
        }
      })();
      readonly appointments = new (class {
        async schedule() {
          return {};
        }
        async cancel() {
          return null;
        }
        async reschedule() {
          return null;
        }
      })();
    }

    const result = await run(pluginWith(`return api.patients.get('p-9');`), { host: new ClassHost() });

    expect(result).toMatchObject({ ok: true, value: { id: 'p-9', name: 'From A Class' } });
  });
});

describe('PluginSandbox when the usage counters fail', () => {
  it('fails closed: the run is refused with RateLimited instead of running unmetered', async () => {
    const failing = createTestSandbox({
      counters: {
        consume: () => Promise.reject(new Error('store down')),
        release: () => Promise.reject(new Error('store down')),
      },
    });

    const result = await failing.run('export default { execute() { return 1; } };');

    expect(result).toMatchObject({
      ok: false,
      error: { code: 'RateLimited', message: 'the CPU budget cannot be checked right now; retry later' },
    });
    await failing.sandbox.dispose();
  });
});

describe('PluginSandbox CPU reservations', () => {
  const KEY = 't-clinic-a/test-plugin/cpuMs';

  it('gives back the unused part of its reservation, so the counter holds only what the run used', async () => {
    const counters = new InMemoryUsageCounters();
    const metered = createTestSandbox({ counters });

    const result = await metered.run('export default { execute() { return 1; } };');
    const total = await counters.consume(KEY, 0, 1_000, RATE_WINDOW_MS);

    expect(result).toMatchObject({ ok: true, value: 1 });
    expect(total.observed).toBeCloseTo(result.usage.cpuMs, 1);
    await metered.sandbox.dispose();
  });

  it('stops a spinning run with CpuBudgetExceeded once its next reservation is refused', async () => {
    const counters = new InMemoryUsageCounters();
    await counters.consume(KEY, 960, Number.POSITIVE_INFINITY, RATE_WINDOW_MS);
    const metered = createTestSandbox({ counters });
    const limits = { cpuMsPerMinute: 1_000, timeoutMs: 5_000 };

    const result = await metered.run('export default { execute() { for (;;) {} } };', { limits });
    const total = await counters.consume(KEY, 0, 1_000, RATE_WINDOW_MS);

    expect(result).toMatchObject({ ok: false, error: { code: 'CpuBudgetExceeded' } });
    expect(result.usage.cpuMs).toBeGreaterThan(0);
    expect(total.observed).toBeCloseTo(960 + result.usage.cpuMs, 1);
    expect(metered.exceeded).toContainEqual(expect.objectContaining({ resource: 'cpu', limit: 1_000 }));
    await metered.sandbox.dispose();
  });

  it('refuses a run whose counter store fails before it starts, and never reaches the host', async () => {
    const host = recordingHost();
    const counters: UsageCounters = {
      consume: () => Promise.reject(new Error('store down')),
      release: () => Promise.reject(new Error('store down')),
    };
    const failing = createTestSandbox({ counters });

    const result = await failing.run(pluginWith(`return api.patients.get('p-a1');`), { host });

    expect(result).toMatchObject({ ok: false, error: { code: 'RateLimited' }, usage: { cpuMs: 0 } });
    expect(host.calls).toEqual([]);
    expect(failing.exceeded).toEqual([]);
    await failing.sandbox.dispose();
  });
});
