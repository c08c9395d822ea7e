import { beforeEach, describe, expect, it } from 'vitest';
import { DomainError } from '../../../../../shared/domain/errors/domain-error.ts';
import type { InvocationRecord } from '../../../../../shared/ports/usage-repository.ts';
import { anInvocationRecord } from '../../../../support/invocation-record-factory.ts';
import { createLifecycleHarness } from '../../../../support/lifecycle-harness.ts';

type Harness = Awaited<ReturnType<typeof createLifecycleHarness>>;

const run = (at: string, overrides: Partial<InvocationRecord> = {}) =>
  anInvocationRecord({ pluginId: 'p1', at, ...overrides });

describe('PluginService.getUsage', () => {
  let h: Harness;

  beforeEach(async () => {
    h = await createLifecycleHarness();
    await h.installSample('p1');
  });

  it('answers the summary since install and a dense series over the window, peak heap a maximum', async () => {
    await h.metricsService.record(
      run('2030-01-01T10:15:00.000Z', { usage: { ...run('').usage, peakHeapBytes: 7_000 } }),
    );
    await h.metricsService.record(run('2030-01-01T10:45:00.000Z', { ok: false, isLimitBreach: true }));
    await h.metricsService.record(run('2030-01-01T08:00:00.000Z'));

    const report = await h
      .serviceFor()
      .getUsage('p1', { from: '2030-01-01T10:30:00Z', to: '2030-01-01T11:30:00Z', interval: 'hour' });

    expect(report).toMatchObject({ pluginId: 'p1', invocations: 3, failures: 1 });
    expect(report.totals.peakHeapBytes).toBe(9_000);
    expect([report.interval, report.from, report.to]).toEqual([
      'hour',
      '2030-01-01T10:00:00.000Z',
      '2030-01-01T12:00:00.000Z',
    ]);
    expect(report.series.map((bucket) => [bucket.start, bucket.invocations, bucket.peakHeapBytes])).toEqual([
      ['2030-01-01T10:00:00.000Z', 2, 7_000],
      ['2030-01-01T11:00:00.000Z', 0, 0],
    ]);
    expect(report.seriesTotals).toMatchObject({
      invocations: 2,
      failures: 1,
      limitBreaches: 1,
      peakHeapBytes: 7_000,
    });
  });

  it('refuses a too long window, and answers a plugin of another tenant as not installed', async () => {
    const service = h.serviceFor();
    const other = h.serviceFor('t-globex');

    const tooLong = await service
      .getUsage('p1', { from: '2030-01-01T00:00:00Z', to: '2030-04-01T00:00:00Z', interval: 'hour' })
      .catch((error: unknown) => error);
    const foreign = await other.getUsage('p1').catch((error: unknown) => error);

    expect(tooLong).toBeInstanceOf(DomainError);
    expect((tooLong as DomainError).code).toBe('VALIDATION_FAILED');
    expect((foreign as DomainError).code).toBe('PLUGIN_NOT_FOUND');
  });
});
