import { afterAll, describe, expect, it } from 'vitest';
import { pluginWith } from '../support/sandbox/recording-host.ts';
import { createTestSandbox, expectHealthy } from '../support/sandbox/sandbox-harness.ts';

const { sandbox, run } = createTestSandbox();
afterAll(() => sandbox.dispose());

/** Each probe evaluates to whatever the chain reached; it must only ever be the isolate's own realm. */
const PROBE = `
  const reached = (fn) => { try { const value = fn(); return value === undefined ? 'undefined' : typeof value === 'object' ? Object.keys(value).includes('process') || typeof value.process !== 'undefined' ? 'HOST' : 'isolate-object' : typeof value; } catch (error) { return 'threw'; } };
`;

describe('escape via constructor chains', () => {
  it('reaches only the isolate realm from the api object, its functions and its errors', async () => {
    const code = pluginWith(`${PROBE}
      let apiError;
      try { await api.patients.get('no-such-patient'); } catch (error) { apiError = error; }
      return {
        fromApiFunction: reached(() => api.patients.get.constructor('return this')()),
        fromApiProcess: reached(() => api.patients.get.constructor('return typeof process')()),
        fromLogger: reached(() => api.logger.info.constructor.constructor('return globalThis')()),
        fromError: reached(() => apiError.constructor.constructor('return this')()),
        fromPromise: reached(() => api.patients.search({}).constructor.constructor('return globalThis')()),
        fromInput: reached(() => input.constructor.constructor('return this')()),
        requireViaChain: api.patients.get.constructor('return typeof require')(),
        processViaChain: await (async () => {}).constructor('return typeof process')(),
      };`);

    const result = await run(code, { input: {} });

    expect(result.ok).toBe(true);
    const value = result.ok ? (result.value as Record<string, unknown>) : {};
    expect(Object.values(value)).not.toContain('HOST');
    expect(value.fromApiProcess).toBe('string');
    expect(value.requireViaChain).toBe('undefined');
    expect(value.processViaChain).toBe('undefined');
    await expectHealthy(run);
  });

  it('finds no host reference, callback or ivm handle on the global object', async () => {
    const code = pluginWith(`
      const names = Object.getOwnPropertyNames(globalThis);
      const suspicious = /^(ivm|Reference|Callback|ExternalCopy|Isolate|Context|NativeModule)$|isolated|gradiant|host|require|process|module/i;
      return names.filter((name) => suspicious.test(name));`);

    const result = await run(code);

    expect(result).toMatchObject({ ok: true, value: [] });
    await expectHealthy(run);
  });

  it('cannot reach the host through arguments.callee.caller from an api call', async () => {
    const code = `export default {
      execute(input, api) {
        function sneaky() { try { return String(sneaky.caller); } catch (error) { return error.name; } }
        return api.events.on('x', sneaky), { callerSeen: sneaky() };
      },
    };`;

    const result = await run(code);

    expect(result).toMatchObject({ ok: true, value: { callerSeen: 'TypeError' } });
    await expectHealthy(run);
  });
});
