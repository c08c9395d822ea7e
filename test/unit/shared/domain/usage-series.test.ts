import { describe, expect, it } from 'vitest';
import { DomainError } from '../../../../shared/domain/errors/domain-error.ts';
import {
  bucketStartOf,
  denseSeries,
  MAX_USAGE_BUCKETS,
  resolveUsageWindow,
  type UsageBucket,
} from '../../../../shared/domain/usage-series.ts';

const now = Date.parse('2030-01-01T12:34:56.789Z');
const iso = (ms: number) => new Date(ms).toISOString();

function refusalOf(run: () => unknown): DomainError {
  try {
    run();
  } catch (error) {
    if (error instanceof DomainError) return error;
    throw error;
  }
  throw new Error('expected a refusal');
}

const bucket = (start: string, overrides: Partial<UsageBucket> = {}): UsageBucket => ({
  start,
  invocations: 1,
  failures: 0,
  limitBreaches: 0,
  wallMs: 10,
  cpuMs: 2,
  peakHeapBytes: 1_000,
  dataCalls: 1,
  networkCalls: 0,
  ...overrides,
});

describe('usage windows', () => {
  it('defaults to the last 24 hours by the hour, the current hour included', () => {
    const window = resolveUsageWindow({}, now);

    expect(window.interval).toBe('hour');
    expect(iso(window.toMs)).toBe('2030-01-01T13:00:00.000Z');
    expect(iso(window.fromMs)).toBe('2029-12-31T13:00:00.000Z');
  });

  it('rounds from down and to up to UTC bucket starts, whatever the offset given', () => {
    const window = resolveUsageWindow(
      { from: '2030-01-01T10:07:00+02:00', to: '2030-01-03T00:00:00.001Z', interval: 'day' },
      now,
    );

    expect(iso(window.fromMs)).toBe('2030-01-01T00:00:00.000Z');
    expect(iso(window.toMs)).toBe('2030-01-04T00:00:00.000Z');
    expect(iso(bucketStartOf(Date.parse('2030-01-01T10:07:59.999Z'), 'minute'))).toBe(
      '2030-01-01T10:07:00.000Z',
    );
  });

  it('answers exactly the bucket cap and refuses one bucket more, naming from, to and interval', () => {
    const from = '2030-01-01T00:00:00.000Z';

    const full = resolveUsageWindow({ from, to: '2030-01-02T00:00:00.000Z', interval: 'minute' }, now);
    const refusal = refusalOf(() =>
      resolveUsageWindow({ from, to: '2030-01-02T00:01:00.000Z', interval: 'minute' }, now),
    );

    expect((full.toMs - full.fromMs) / 60_000).toBe(MAX_USAGE_BUCKETS);
    expect(refusal.code).toBe('VALIDATION_FAILED');
    expect(refusal.errors?.map((issue) => issue.field)).toEqual(['query.from', 'query.to', 'query.interval']);
  });

  it('refuses a window that ends before it starts, naming query.from', () => {
    const refusal = refusalOf(() =>
      resolveUsageWindow({ from: '2030-01-02T00:00:00Z', to: '2030-01-01T00:00:00Z' }, now),
    );

    expect(refusal.code).toBe('VALIDATION_FAILED');
    expect(refusal.errors?.map((issue) => issue.field)).toEqual(['query.from']);
  });
});

describe('dense usage series', () => {
  it('fills every bucket of the window, sums the counts and keeps the heap peak a maximum', () => {
    const window = {
      interval: 'hour' as const,
      fromMs: Date.parse('2030-01-01T10:00:00Z'),
      toMs: Date.parse('2030-01-01T13:00:00Z'),
    };

    const { series, seriesTotals } = denseSeries(window, [
      bucket('2030-01-01T12:00:00.000Z', { peakHeapBytes: 5_000, failures: 1, limitBreaches: 1 }),
      bucket('2030-01-01T10:00:00.000Z', { peakHeapBytes: 9_000 }),
      bucket('2030-01-01T09:00:00.000Z', { peakHeapBytes: 99_000 }),
    ]);

    expect(series.map((entry) => [entry.start, entry.invocations])).toEqual([
      ['2030-01-01T10:00:00.000Z', 1],
      ['2030-01-01T11:00:00.000Z', 0],
      ['2030-01-01T12:00:00.000Z', 1],
    ]);
    expect(seriesTotals).toEqual({
      invocations: 2,
      failures: 1,
      limitBreaches: 1,
      wallMs: 20,
      cpuMs: 4,
      peakHeapBytes: 9_000,
      dataCalls: 2,
      networkCalls: 0,
    });
  });
});
