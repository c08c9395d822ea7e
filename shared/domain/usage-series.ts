import { z } from 'zod';
import { validationFailed } from './errors/request-errors.ts';
import { UsageSummarySchema } from './usage-summary.ts';

const count = z.number().int().nonnegative();

export const USAGE_INTERVALS = ['minute', 'hour', 'day'] as const;
export const UsageIntervalSchema = z.enum(USAGE_INTERVALS);
export type UsageInterval = z.infer<typeof UsageIntervalSchema>;

export const INTERVAL_MS: Readonly<Record<UsageInterval, number>> = {
  minute: 60_000,
  hour: 3_600_000,
  day: 86_400_000,
};
/** One day of minutes: a chart's worth, and a bounded read (one item per bucket at most). */
export const MAX_USAGE_BUCKETS = 1_440;
/** Without `from`, the window reaches back this many buckets from `to` (24 h of hours). */
const DEFAULT_BUCKETS: Readonly<Record<UsageInterval, number>> = { minute: 60, hour: 24, day: 30 };
export const DEFAULT_USAGE_INTERVAL: UsageInterval = 'hour';

/** What a window's runs used; `peakHeapBytes` is the largest peak of any run in it, never a sum. */
export const UsageFiguresSchema = z.object({
  invocations: count,
  failures: count,
  limitBreaches: count,
  wallMs: z.number().nonnegative(),
  cpuMs: z.number().nonnegative(),
  peakHeapBytes: count,
  dataCalls: count,
  networkCalls: count,
});
export type UsageFigures = z.infer<typeof UsageFiguresSchema>;

export const UsageBucketSchema = UsageFiguresSchema.extend({ start: z.iso.datetime() });
export type UsageBucket = z.infer<typeof UsageBucketSchema>;

/**
 * The summary since install (unchanged, for existing clients) plus a time series over
 * [from, to): one bucket per interval, every bucket present (empty ones are zeros), and its totals.
 */
export const UsageReportSchema = UsageSummarySchema.extend({
  interval: UsageIntervalSchema,
  from: z.iso.datetime(),
  to: z.iso.datetime(),
  series: z.array(UsageBucketSchema),
  seriesTotals: UsageFiguresSchema,
});
export type UsageReport = z.infer<typeof UsageReportSchema>;

/** A window with bucket-aligned UTC bounds, `toMs` exclusive. */
export interface UsageWindow {
  readonly interval: UsageInterval;
  readonly fromMs: number;
  readonly toMs: number;
}

export interface UsageWindowQuery {
  readonly from?: string | undefined;
  readonly to?: string | undefined;
  readonly interval?: UsageInterval | undefined;
}

/** Bucket starts are multiples of the interval since the epoch: UTC minutes, hours and days. */
export const bucketStartOf = (atMs: number, interval: UsageInterval): number =>
  Math.floor(atMs / INTERVAL_MS[interval]) * INTERVAL_MS[interval];

/**
 * The window a query asks for: `from` rounded down and `to` rounded up to the interval, `to`
 * defaulting to now and `from` to a default number of buckets before `to`. An empty, reversed or
 * too long window is refused, naming the query parameters at fault.
 */
export function resolveUsageWindow(query: UsageWindowQuery, nowMs: number): UsageWindow {
  const interval = query.interval ?? DEFAULT_USAGE_INTERVAL;
  const step = INTERVAL_MS[interval];
  const toMs = Math.ceil((query.to === undefined ? nowMs : Date.parse(query.to)) / step) * step;
  const fromMs =
    query.from === undefined
      ? toMs - DEFAULT_BUCKETS[interval] * step
      : bucketStartOf(Date.parse(query.from), interval);
  if (fromMs >= toMs) throw validationFailed([{ field: 'query.from', message: 'must be before query.to' }]);
  const buckets = (toMs - fromMs) / step;
  if (buckets > MAX_USAGE_BUCKETS) {
    const message = `the window holds ${buckets} ${interval} buckets; at most ${MAX_USAGE_BUCKETS} are answered (shorten the range or choose a longer interval)`;
    throw validationFailed(
      ['query.from', 'query.to', 'query.interval'].map((field) => ({ field, message })),
      'The usage window is too long.',
    );
  }
  return { interval, fromMs, toMs };
}

export const emptyUsageFigures = (): UsageFigures => ({
  invocations: 0,
  failures: 0,
  limitBreaches: 0,
  wallMs: 0,
  cpuMs: 0,
  peakHeapBytes: 0,
  dataCalls: 0,
  networkCalls: 0,
});

/** Adds `figures` into `into`: counts and times sum, the heap peak is a maximum. */
export function accumulateUsage(into: UsageFigures, figures: UsageFigures): UsageFigures {
  for (const field of Object.keys(into) as (keyof UsageFigures)[])
    into[field] =
      field === 'peakHeapBytes' ? Math.max(into[field], figures[field]) : into[field] + figures[field];
  return into;
}

/** Every bucket of the window in order, the stored ones (sparse, any order) filled in. */
export function denseSeries(
  window: UsageWindow,
  stored: readonly UsageBucket[],
): { series: UsageBucket[]; seriesTotals: UsageFigures } {
  const step = INTERVAL_MS[window.interval];
  const byStart = new Map<number, UsageFigures>();
  for (const bucket of stored) {
    const start = bucketStartOf(Date.parse(bucket.start), window.interval);
    if (start < window.fromMs || start >= window.toMs) continue;
    const { start: _start, ...figures } = bucket;
    byStart.set(start, accumulateUsage(byStart.get(start) ?? emptyUsageFigures(), figures));
  }
  const series: UsageBucket[] = [];
  const seriesTotals = emptyUsageFigures();
  for (let start = window.fromMs; start < window.toMs; start += step) {
    const figures = byStart.get(start) ?? emptyUsageFigures();
    accumulateUsage(seriesTotals, figures);
    series.push({ start: new Date(start).toISOString(), ...figures });
  }
  return { series, seriesTotals };
}
