import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DynamoDbUsageCounters } from '../../../../shared/adapters/aws/dynamodb-usage-counters.ts';
import { CPU_WATCHDOG_INTERVAL_MS } from '../../../../shared/sandbox/cpu-lease.ts';
import { RATE_WINDOW_MS } from '../../../../shared/sandbox/limits.ts';
import { PluginSandbox } from '../../../../shared/sandbox/plugin-sandbox.ts';
import { createTestTables } from '../../../support/dynamodb-tables.ts';
import { ALL_GRANTS, recordingHost, TENANT_A } from '../../../support/sandbox/recording-host.ts';
import { withTimerLateness } from '../../../support/timer-lateness.ts';

const SPIN = 'export default { execute() { for (;;) {} } };';
const QUICK = 'export default { execute() { return 1; } };';

const run = (sandbox: PluginSandbox | undefined, code: string, pluginId: string, limits: object) =>
  (sandbox as PluginSandbox).run({
    code,
    grants: ALL_GRANTS,
    tenantId: TENANT_A,
    pluginId,
    version: '1.0.0',
    host: recordingHost(),
    limits,
  });

// The CPU reservation against the real counter store: its round trips are slower than the
// in-memory counter's, so this checks that reservations keep up and still share one budget.
describe('CPU reservations against DynamoDB Local', () => {
  let counters: DynamoDbUsageCounters;
  let sandboxes: PluginSandbox[];

  beforeAll(async () => {
    const { names, documentClient } = await createTestTables();
    const clock = { now: () => new Date() };
    // Two sandboxes with their own counter clients stand for two Lambda instances.
    const instances = [0, 1].map(
      () => new DynamoDbUsageCounters({ client: documentClient, tableName: names.plugins, clock }),
    );
    counters = instances[0] as DynamoDbUsageCounters;
    sandboxes = instances.map((shared) => new PluginSandbox({ counters: shared, maxIsolatesPerKey: 2 }));
    // Each sandbox learns the store's latency from its own round trips: let it see a few first,
    // so that a cold DynamoDB Local (a JVM) does not stand for the service.
    for (const sandbox of sandboxes) {
      for (let index = 0; index < 3; index++) await run(sandbox, QUICK, 'warm-up', {});
    }
  });
  afterAll(() => Promise.all(sandboxes.map((sandbox) => sandbox.dispose())));

  it('lets a long run with budget to spare reach its timeout, reserving as it goes', async () => {
    const result = await run(sandboxes[0], SPIN, 'long-runner', { cpuMsPerMinute: 10_000, timeoutMs: 300 });
    const charged = await counters.consume(`${TENANT_A}/long-runner/cpuMs`, 0, 10_000, RATE_WINDOW_MS);

    expect(result).toMatchObject({ ok: false, error: { code: 'TimeoutExceeded' } });
    expect(charged.observed).toBeCloseTo(result.usage.cpuMs, 0);
  });

  it('keeps overlapping spins on two instances within one budget', async () => {
    const budget = 200;
    const limits = { cpuMsPerMinute: budget, timeoutMs: 5_000 };

    const { result: results, latenessMs } = await withTimerLateness(CPU_WATCHDOG_INTERVAL_MS, () =>
      Promise.all([0, 1, 2, 3].map((index) => run(sandboxes[index % 2], SPIN, 'shared-hog', limits))),
    );
    const charged = await counters.consume(`${TENANT_A}/shared-hog/cpuMs`, 0, budget, RATE_WINDOW_MS);

    // As in the attack test: one watchdog interval per run, plus how late ticks fired meanwhile.
    const bound =
      budget + 4 * (CPU_WATCHDOG_INTERVAL_MS + Math.max(2 * CPU_WATCHDOG_INTERVAL_MS, latenessMs));
    const used = results.reduce((total, result) => total + result.usage.cpuMs, 0);
    expect(used).toBeLessThanOrEqual(bound);
    expect(charged.observed).toBeLessThanOrEqual(bound);
    for (const result of results) {
      expect(result).toMatchObject({ ok: false, error: { code: 'CpuBudgetExceeded' } });
    }
  });
});
