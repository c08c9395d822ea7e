import { types } from 'node:util';
import { afterAll, describe, expect, it } from 'vitest';
import { pluginWith, recordingHost } from '../support/sandbox/recording-host.ts';
import { createTestSandbox, expectHealthy } from '../support/sandbox/sandbox-harness.ts';

const { sandbox, run } = createTestSandbox();
afterAll(() => sandbox.dispose());

describe('proxy and thenable tricks', () => {
  it('hands the host a plain copy when the plugin passes a proxy', async () => {
    const host = recordingHost();
    const code = pluginWith(`
      const data = new Proxy({ family: 'Proxied' }, {
        get: (target, key) => (key === 'toJSON' ? undefined : target[key]),
        ownKeys: () => ['family'],
        getOwnPropertyDescriptor: (target, key) => ({ value: target[key], enumerable: true, configurable: true }),
      });
      return api.patients.update('p-a1', data);`);

    const result = await run(code, { host });

    expect(result).toMatchObject({ ok: true, value: { id: 'p-a1', family: 'Proxied' } });
    const [call] = host.calls;
    expect(call?.method).toBe('patients.update');
    const data = call?.args[1];
    expect(types.isProxy(data)).toBe(false);
    expect(Object.getPrototypeOf(data)).toBe(Object.prototype);
  });

  it('fails an api call whose argument traps throw, inside the plugin', async () => {
    const code = pluginWith(`
      const hostile = new Proxy({}, { ownKeys() { throw new Error('trap'); } });
      try { await api.patients.update('p-a1', hostile); return 'no error'; } catch (error) { return [error.name, error.code]; }`);

    const result = await run(code);

    expect(result).toMatchObject({ ok: true, value: ['InvalidArgument', 'InvalidArgument'] });
    await expectHealthy(run);
  });

  it('awaits a thenable returned by execute inside the isolate', async () => {
    const code = `export default { execute() { return { then(resolve) { resolve({ fromThenable: true }); } }; } };`;

    const result = await run(code);

    expect(result).toMatchObject({ ok: true, value: { fromThenable: true } });
  });

  it('ends with PluginError when a thenable getter throws', async () => {
    const code = `export default { execute() { return { get then() { throw new Error('then trap'); } }; } };`;

    const result = await run(code);

    expect(result).toMatchObject({ ok: false, error: { code: 'PluginError', message: 'Error: then trap' } });
    await expectHealthy(run);
  });

  it('keeps api calls working when the plugin replaces Promise.prototype.then', async () => {
    const code = pluginWith(`
      const originalThen = Promise.prototype.then;
      let hijacked = 0;
      Promise.prototype.then = function (...args) { hijacked++; return originalThen.apply(this, args); };
      const patient = await api.patients.get('p-a1');
      return { id: patient.id, hijacked: hijacked > 0 };`);

    const result = await run(code);

    expect(result).toMatchObject({ ok: true, value: { id: 'p-a1' } });
    await expectHealthy(run);
  });

  it('times out a thenable that never settles instead of hanging', async () => {
    const code = `export default { execute() { return { then() {} }; } };`;

    const result = await run(code, { limits: { timeoutMs: 100 } });

    expect(result).toMatchObject({ ok: false, error: { code: 'TimeoutExceeded' } });
    await expectHealthy(run);
  });

  it('copies a proxy result out as plain JSON', async () => {
    const code = `export default { execute() { return new Proxy({ a: 1 }, { get: (t, k) => (k === 'toJSON' ? undefined : 2) }); } };`;

    const result = await run(code);

    expect(result).toMatchObject({ ok: true, value: { a: 2 } });
  });
});

describe('floods of api calls', () => {
  it('refuses calls beyond the in-flight bound at once instead of queueing host work', async () => {
    const code = `export default {
      async execute(input, api) {
        const calls = Array.from({ length: 200 }, () => api.patients.search({ slow: true }).then(() => 'answered', (error) => error.code));
        // The first 64 stay pending in the host; everything after them is refused without waiting.
        return Promise.all(calls.slice(64));
      },
    };`;

    const result = await run(code, { limits: { timeoutMs: 2_000 } });

    expect(result).toMatchObject({ ok: true, value: Array.from({ length: 136 }, () => 'RateLimited') });
    await expectHealthy(run);
  });

  it('refuses an oversized event before it crosses, with QuotaExceeded', async () => {
    const code = `export default { async execute(input, api) { try { await api.events.emit('big', 'x'.repeat(70000)); } catch (error) { return error.code; } } };`;

    const result = await run(code);

    expect(result).toMatchObject({ ok: true, value: 'QuotaExceeded', events: [] });
  });
});
