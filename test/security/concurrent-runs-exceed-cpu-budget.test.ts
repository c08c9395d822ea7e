import { afterAll, describe, expect, it } from 'vitest';
import { CPU_WATCHDOG_INTERVAL_MS } from '../../shared/sandbox/cpu-lease.ts';
import { RATE_WINDOW_MS } from '../../shared/sandbox/limits.ts';
import { InMemoryUsageCounters } from '../../shared/sandbox/usage-counters.ts';
import { createTestSandbox, expectHealthy } from '../support/sandbox/sandbox-harness.ts';

const RUNS = 4;
const BUDGET_MS = 200;
/**
 * Each run may pass what it holds by one watchdog interval. The slack, two more intervals per
 * run, covers ticks that fire late because four spinning isolates share two cores with the host's
 * event loop and other test workers (measured: up to 22 ms per run at a load average of 10).
 * Checking before and charging after used 809-931 ms here.
 */
const TIMER_SLACK_MS = 2 * CPU_WATCHDOG_INTERVAL_MS * RUNS;
const SPIN = 'export default { execute() { for (;;) {} } };';

// The attack: the budget was checked before a run and charged after it, so N overlapping runs
// each saw the whole budget and together used N times it.
describe('concurrent runs exceeding the CPU budget', () => {
  const counters = new InMemoryUsageCounters();
  const { sandbox, run, exceeded } = createTestSandbox({ counters, maxIsolatesPerKey: RUNS });
  afterAll(() => sandbox.dispose());
  const request = { pluginId: 'cpu-hog', limits: { cpuMsPerMinute: BUDGET_MS, timeoutMs: 5_000 } };

  it('keeps four overlapping spins of one tenant and plugin within one shared budget', async () => {
    const results = await Promise.all(Array.from({ length: RUNS }, () => run(SPIN, request)));
    const charged = await counters.consume('t-clinic-a/cpu-hog/cpuMs', 0, BUDGET_MS, RATE_WINDOW_MS);
    const later = await run('export default { execute() { return 1; } };', request);

    const used = results.reduce((total, result) => total + result.usage.cpuMs, 0);
    const bound = BUDGET_MS + RUNS * CPU_WATCHDOG_INTERVAL_MS + TIMER_SLACK_MS;
    expect(used).toBeLessThanOrEqual(bound);
    expect(charged.observed).toBeLessThanOrEqual(bound);
    expect(charged.observed).toBeGreaterThanOrEqual(BUDGET_MS);
    for (const result of results) {
      expect(result).toMatchObject({ ok: false, error: { code: 'CpuBudgetExceeded' } });
    }
    expect(later).toMatchObject({ ok: false, error: { code: 'CpuBudgetExceeded' }, usage: { cpuMs: 0 } });
    expect(exceeded.filter((event) => event.resource === 'cpu')).toHaveLength(RUNS + 1);
    await expectHealthy(run);
  });
});
