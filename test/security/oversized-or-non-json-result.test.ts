import { afterAll, describe, expect, it } from 'vitest';
import { createTestSandbox, expectHealthy } from '../support/sandbox/sandbox-harness.ts';

const { sandbox, run, exceeded } = createTestSandbox();
afterAll(() => sandbox.dispose());

describe('oversized or non-JSON results', () => {
  it('ends a cyclic result with PluginError', async () => {
    const code = 'export default { execute() { const a = {}; a.self = a; return a; } };';

    const result = await run(code);

    expect(result).toMatchObject({ ok: false, error: { code: 'PluginError' } });
    expect(result.ok ? '' : result.error.message).toMatch(/^result is not a JSON value: TypeError/);
    await expectHealthy(run);
  });

  it('ends a BigInt result with PluginError', async () => {
    const result = await run('export default { execute() { return { big: 10n }; } };');

    expect(result).toMatchObject({ ok: false, error: { code: 'PluginError' } });
  });

  it('ends a result over 1 MiB with QuotaExceeded and reports it', async () => {
    const result = await run(`export default { execute() { return 'x'.repeat(1024 * 1024 + 1); } };`);

    expect(result).toMatchObject({ ok: false, error: { code: 'QuotaExceeded' } });
    expect(exceeded).toContainEqual(expect.objectContaining({ resource: 'resultSize', limit: 1024 * 1024 }));
    await expectHealthy(run);
  });

  it('counts UTF-8 bytes, not characters, against the 1 MiB limit', async () => {
    const result = await run(`export default { execute() { return '€'.repeat(400 * 1024); } };`);

    expect(result).toMatchObject({ ok: false, error: { code: 'QuotaExceeded' } });
  });

  it('returns null for undefined and drops functions and symbols as JSON does', async () => {
    const none = await run('export default { execute() {} };');
    const mixed = await run(`export default { execute() { return { f() {}, s: Symbol('x'), n: 1 }; } };`);

    expect(none).toMatchObject({ ok: true, value: null });
    expect(mixed).toMatchObject({ ok: true, value: { n: 1 } });
  });

  it('ends a result whose toJSON throws with PluginError', async () => {
    const result = await run(
      `export default { execute() { return { toJSON() { throw new Error('nope'); } }; } };`,
    );

    expect(result).toMatchObject({
      ok: false,
      error: { code: 'PluginError', message: 'result is not a JSON value: Error: nope' },
    });
  });
});
