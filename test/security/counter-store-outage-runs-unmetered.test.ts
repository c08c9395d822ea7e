import { afterAll, describe, expect, it } from 'vitest';
import { SupervisedSandbox } from '../../shared/sandbox/supervised/supervised-sandbox.ts';
import type { InternalError } from '../../shared/sandbox/unsettled-charges.ts';
import { flakyCounters, sandboxOverFlakyCounters } from '../support/sandbox/flaky-counters.ts';
import { pluginWith, recordingHost, TENANT_A } from '../support/sandbox/recording-host.ts';
import { expectHealthy } from '../support/sandbox/sandbox-harness.ts';

// The attack: while the counter store failed, a run's CPU refund and its denied-call charge were
// swallowed, so a plugin probing permissions (each denial counts as a data call) ran on and on
// without its usage ever reaching the shared counters. Now its next run is refused until the
// store has taken what is outstanding.
const PROBES = 10;
const PROBER = pluginWith(`
  for (let i = 0; i < ${PROBES}; i++) await api.patients.get('p-a1').catch(() => {});
  const until = Date.now() + 5;
  while (Date.now() < until) {}
  return 'probed';`);

const { down, total, sandbox, run, internalErrors } = sandboxOverFlakyCounters();
afterAll(() => sandbox.dispose());

describe('counter store outage', () => {
  it('refuses every later run of the plugin until its outstanding usage is charged', async () => {
    // The store fails just after the run was granted its first CPU chunk.
    down.add('consume:databaseQueries');
    down.add('release');
    const first = await run(PROBER, { pluginId: 'prober', grants: [] });
    down.add('consume');
    const host = recordingHost(TENANT_A);

    const during = await Promise.all(
      Array.from({ length: 3 }, () => run(PROBER, { pluginId: 'prober', grants: [], host })),
    );
    down.clear();
    const after = await run(PROBER, { pluginId: 'prober', grants: [] });

    expect(first).toMatchObject({ ok: true, value: 'probed' });
    for (const result of during) expect(result).toMatchObject({ ok: false, error: { code: 'RateLimited' } });
    expect(host.calls).toEqual([]);
    expect(after).toMatchObject({ ok: true, value: 'probed' });
    // The first run's denials were charged on recovery, and the last run's with it.
    expect(total(`${TENANT_A}/prober/databaseQueries`)).toBe(2 * PROBES);
    expect(internalErrors.map((error) => error.errorName)).not.toContain('Error');
    expect(JSON.stringify(internalErrors)).not.toContain('Ada Example');
    await expectHealthy(run);
  });

  it('holds the plugin in the supervised sandbox too, whose worker never waits for a refund', async () => {
    const supervised = flakyCounters();
    const errors: InternalError[] = [];
    const isolated = new SupervisedSandbox({
      counters: supervised.counters,
      onInternalError: (error) => void errors.push(error),
    });
    const request = { tenantId: TENANT_A, pluginId: 'prober', grants: [], input: null };
    try {
      supervised.down.add('release');
      const first = await isolated.run({ ...request, code: PROBER, host: recordingHost() });
      // The refund is sent after the result; wait until the supervisor has seen it fail.
      await expect.poll(() => errors.length).toBeGreaterThan(0);
      supervised.down.add('consume');

      const during = await isolated.run({ ...request, code: PROBER, host: recordingHost() });
      supervised.down.clear();
      const after = await isolated.run({ ...request, code: PROBER, host: recordingHost() });

      expect(first).toMatchObject({ ok: true });
      expect(during).toMatchObject({ ok: false, error: { code: 'RateLimited' } });
      expect(after).toMatchObject({ ok: true, value: 'probed' });
      expect(new Set(errors.map((error) => error.operation))).toEqual(
        new Set(['cpu-settle', 'unsettled-retry']),
      );
    } finally {
      await isolated.dispose();
    }
  });
});
