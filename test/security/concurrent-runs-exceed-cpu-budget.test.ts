import { afterAll, describe, expect, it } from 'vitest';
import { CPU_WATCHDOG_INTERVAL_MS } from '../../shared/sandbox/cpu-lease.ts';
import { RATE_WINDOW_MS } from '../../shared/sandbox/limits.ts';
import type { RunRequest } from '../../shared/sandbox/plugin-sandbox.ts';
import type { ResourceExceeded, RunResult } from '../../shared/sandbox/schemas.ts';
import { SupervisedSandbox } from '../../shared/sandbox/supervised/supervised-sandbox.ts';
import { InMemoryUsageCounters } from '../../shared/sandbox/usage-counters.ts';
import { ALL_GRANTS, recordingHost, TENANT_A } from '../support/sandbox/recording-host.ts';
import { createTestSandbox, expectHealthy } from '../support/sandbox/sandbox-harness.ts';
import { withTimerLateness } from '../support/timer-lateness.ts';

const RUNS = 4;
const BUDGET_MS = 200;
/**
 * Each run may pass what it holds by one watchdog interval, plus however late the watchdog's
 * ticks fire on this machine while four isolates spin (measured alongside, at least two more
 * intervals). Checking before and charging after used 809-931 ms here.
 */
const MIN_TIMER_SLACK_MS = 2 * CPU_WATCHDOG_INTERVAL_MS;
const SPIN = 'export default { execute() { for (;;) {} } };';

// The attack: the budget was checked before a run and charged after it, so N overlapping runs
// each saw the whole budget and together used N times it.
const request = { pluginId: 'cpu-hog', limits: { cpuMsPerMinute: BUDGET_MS, timeoutMs: 5_000 } };
const boundFor = (latenessMs: number) =>
  BUDGET_MS + RUNS * (CPU_WATCHDOG_INTERVAL_MS + Math.max(MIN_TIMER_SLACK_MS, latenessMs));

/** Four overlapping spins, then one more run in the same minute. */
async function spinTogether(
  run: (code: string, request: Partial<RunRequest>) => Promise<RunResult>,
  counters: InMemoryUsageCounters,
) {
  const { result: results, latenessMs } = await withTimerLateness(CPU_WATCHDOG_INTERVAL_MS, () =>
    Promise.all(Array.from({ length: RUNS }, () => run(SPIN, request))),
  );
  const charged = await counters.consume(`${TENANT_A}/cpu-hog/cpuMs`, 0, BUDGET_MS, RATE_WINDOW_MS);
  const later = await run('export default { execute() { return 1; } };', request);
  return { results, charged: charged.observed, later, bound: boundFor(latenessMs) };
}

function expectBudgetHeld(outcome: Awaited<ReturnType<typeof spinTogether>>, exceeded: ResourceExceeded[]) {
  const used = outcome.results.reduce((total, result) => total + result.usage.cpuMs, 0);
  expect(used).toBeLessThanOrEqual(outcome.bound);
  expect(outcome.charged).toBeLessThanOrEqual(outcome.bound);
  expect(outcome.charged).toBeGreaterThanOrEqual(BUDGET_MS - 1);
  for (const result of outcome.results) {
    expect(result).toMatchObject({ ok: false, error: { code: 'CpuBudgetExceeded' } });
  }
  expect(outcome.later).toMatchObject({
    ok: false,
    error: { code: 'CpuBudgetExceeded' },
    usage: { cpuMs: 0 },
  });
  expect(exceeded.filter((event) => event.resource === 'cpu')).toHaveLength(RUNS + 1);
}

describe('concurrent runs exceeding the CPU budget', () => {
  const counters = new InMemoryUsageCounters();
  const { sandbox, run, exceeded } = createTestSandbox({ counters, maxIsolatesPerKey: RUNS });
  const parentCounters = new InMemoryUsageCounters();
  const supervisedExceeded: ResourceExceeded[] = [];
  const supervised = new SupervisedSandbox({
    counters: parentCounters,
    onResourceExceeded: (event) => void supervisedExceeded.push(event),
  });
  afterAll(() => Promise.all([sandbox.dispose(), supervised.dispose()]));

  it('keeps four overlapping spins of one tenant and plugin within one shared budget', async () => {
    const outcome = await spinTogether(run, counters);

    expectBudgetHeld(outcome, exceeded);
    await expectHealthy(run);
  });

  it('holds the budget the same way through the supervised worker, whose counters live in the parent', async () => {
    const runSupervised = (code: string, partial: Partial<RunRequest>) =>
      supervised.run({ code, grants: ALL_GRANTS, tenantId: TENANT_A, host: recordingHost(), ...partial });

    const outcome = await spinTogether(runSupervised, parentCounters);

    expectBudgetHeld(outcome, supervisedExceeded);
  });
});
