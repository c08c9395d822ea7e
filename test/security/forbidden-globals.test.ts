import { afterAll, describe, expect, it } from 'vitest';
import { pluginWith } from '../support/sandbox/recording-host.ts';
import { createTestSandbox, expectHealthy } from '../support/sandbox/sandbox-harness.ts';

const { sandbox, run } = createTestSandbox();
afterAll(() => sandbox.dispose());

describe('forbidden globals', () => {
  it('has no require, process, timers, SharedArrayBuffer, Atomics or WebAssembly', async () => {
    const code = pluginWith(`
      const names = ['require', 'process', 'module', 'setTimeout', 'setInterval', 'setImmediate', 'queueMicrotask',
        'SharedArrayBuffer', 'Atomics', 'WebAssembly', 'fetch', 'XMLHttpRequest', 'Buffer', 'global'];
      return Object.fromEntries(names.map((name) => [name, typeof globalThis[name]]));`);

    const result = await run(code);

    expect(result.ok).toBe(true);
    const value = result.ok ? (result.value as Record<string, string>) : {};
    for (const type of Object.values(value)) expect(type).toBe('undefined');
  });

  it('refuses dynamic import() before running anything', async () => {
    const code = pluginWith(
      `try { await import('node:fs'); return 'imported'; } catch (error) { return error.message; }`,
    );

    const result = await run(code);

    // Refused when the source is parsed; the isolate would answer 'Not supported' behind that.
    expect(result).toMatchObject({
      ok: false,
      error: { code: 'PluginError', message: expect.stringContaining('dynamic import()') },
    });
    await expectHealthy(run);
  });

  it('refuses a static import before running anything', async () => {
    const code = `import fs from 'node:fs';\nexport default { execute: () => fs.readFileSync('/etc/passwd', 'utf8') };`;

    const result = await run(code);

    expect(result).toMatchObject({
      ok: false,
      error: { code: 'PluginError', message: expect.stringContaining('static import') },
    });
  });

  it('keeps eval and Function inside the isolate', async () => {
    const code = pluginWith(`
      return {
        evalProcess: eval('typeof process'),
        functionGlobal: Function('return typeof require')(),
        indirectEval: (0, eval)('typeof globalThis.process'),
      };`);

    const result = await run(code);

    expect(result).toMatchObject({
      ok: true,
      value: { evalProcess: 'undefined', functionGlobal: 'undefined', indirectEval: 'undefined' },
    });
  });

  it('cannot recover SharedArrayBuffer or Atomics through other constructors', async () => {
    const code = pluginWith(`
      const found = [];
      for (const name of Object.getOwnPropertyNames(globalThis)) {
        const value = globalThis[name];
        if (typeof value === 'function' && /Shared|Atomics|WebAssembly/.test(String(value.name))) found.push(name);
      }
      return found;`);

    const result = await run(code);

    expect(result).toMatchObject({ ok: true, value: [] });
  });

  it('routes console output into the run logs instead of the host', async () => {
    const code = pluginWith(`console.log('hello', { a: 1 }); console.error('oops'); return null;`);

    const result = await run(code);

    expect(result).toMatchObject({
      ok: true,
      logs: [
        { level: 'info', message: 'hello {"a":1}' },
        { level: 'error', message: 'oops' },
      ],
    });
  });
});
