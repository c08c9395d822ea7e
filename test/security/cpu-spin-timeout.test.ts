import { afterAll, describe, expect, it } from 'vitest';
import { pluginWith } from '../support/sandbox/recording-host.ts';
import { createTestSandbox, expectHealthy } from '../support/sandbox/sandbox-harness.ts';

const { sandbox, run, exceeded } = createTestSandbox();
afterAll(() => sandbox.dispose());

const SPINS = {
  'a synchronous loop': 'export default { execute() { for (;;) {} } };',
  'a microtask loop': 'export default { async execute() { for (;;) await null; } };',
  'a loop after an awaited host call': pluginWith(`await api.patients.get('p-a1'); for (;;) {}`),
  'a loop in a detached microtask chain': `export default { execute() { (function loop() { Promise.resolve().then(loop); })(); return 1; } };`,
  'a host call that never answers': pluginWith(`await api.patients.search({ slow: true });`),
};

describe('cpu spin and timeouts', () => {
  for (const [name, code] of Object.entries(SPINS)) {
    it(`stops ${name} with TimeoutExceeded and stays usable`, async () => {
      const limits = { timeoutMs: 100 };

      const result = await run(code, { limits });

      expect(result).toMatchObject({
        ok: false,
        error: { code: 'TimeoutExceeded', message: 'plugin exceeded its 100 ms execution timeout' },
      });
      expect(exceeded).toContainEqual(
        expect.objectContaining({ resource: 'timeout', limit: 100, tenantId: 't-clinic-a' }),
      );
      await expectHealthy(run);
    });
  }

  it('stops a spin that outruns its CPU budget with CpuBudgetExceeded, then refuses further runs', async () => {
    const limits = { cpuMsPerMinute: 50, timeoutMs: 5_000 };
    const request = { limits, pluginId: 'cpu-hog' };

    const spin = await run('export default { execute() { for (;;) {} } };', request);
    const next = await run('export default { execute() { return 1; } };', request);

    expect(spin).toMatchObject({ ok: false, error: { code: 'CpuBudgetExceeded' } });
    expect(next).toMatchObject({ ok: false, error: { code: 'CpuBudgetExceeded' } });
    expect(exceeded).toContainEqual(
      expect.objectContaining({ resource: 'cpu', limit: 50, pluginId: 'cpu-hog', version: '1.0.0' }),
    );
    await expectHealthy(run);
  });
});
