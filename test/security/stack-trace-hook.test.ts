import { afterAll, describe, expect, it } from 'vitest';
import { pluginWith } from '../support/sandbox/recording-host.ts';
import { createTestSandbox, expectHealthy } from '../support/sandbox/sandbox-harness.ts';

const { sandbox, run } = createTestSandbox();
afterAll(() => sandbox.dispose());

const HOST_TRACES = /\/work\/|node_modules|node:|\.ts\b|isolated-vm|file:\/\//;

describe('stack trace hooks', () => {
  it('sees only plugin frames through Error.prepareStackTrace around api failures', async () => {
    const code = pluginWith(`
      const seen = [];
      Error.prepareStackTrace = (error, frames) => {
        for (const frame of frames) {
          seen.push(String(frame.getFileName()) + ' ' + typeof frame.getThis() + ' ' + typeof frame.getFunction());
        }
        return 'hooked';
      };
      Error.stackTraceLimit = Infinity;
      try { await api.patients.get('does-not-exist'); } catch (error) { void error.stack; }
      try { await api.patients.update('p-a1', { name: 1n }); } catch (error) { void error.stack; }
      try { api.events.emit('audit:forged', {}); } catch (error) { void error.stack; }
      void new Error('local').stack;
      return seen;`);

    const result = await run(code);

    expect(result.ok).toBe(true);
    const frames = result.ok ? (result.value as string[]) : [];
    expect(frames.length).toBeGreaterThan(0);
    for (const frame of frames) expect(frame).not.toMatch(HOST_TRACES);
    await expectHealthy(run);
  });

  it('returns error messages without stack traces or host paths', async () => {
    const code = pluginWith(`
      Error.prepareStackTrace = () => '/work/main/secret.ts:1:1';
      const error = new Error('plugin failed');
      error.stack;
      throw error;`);

    const result = await run(code);

    expect(result).toMatchObject({
      ok: false,
      error: { code: 'PluginError', message: 'Error: plugin failed' },
    });
    expect(JSON.stringify(result)).not.toMatch(HOST_TRACES);
    await expectHealthy(run);
  });

  it('keeps api error stacks free of host frames', async () => {
    const code = pluginWith(`
      try { await api.patients.get('nope'); } catch (error) { return { stack: String(error.stack), code: error.code }; }`);

    const result = await run(code);

    expect(result).toMatchObject({ ok: true, value: { code: 'NotFound' } });
    const stack = result.ok ? (result.value as { stack: string }).stack : '';
    expect(stack).not.toMatch(HOST_TRACES);
  });
});
