import {
  bucketStartOf,
  USAGE_INTERVALS,
  type UsageBucket,
  type UsageInterval,
} from '../../domain/usage-series.ts';
import type { InvocationRecord } from '../../ports/usage-repository.ts';
import { tenantPartition, usageBucketKey } from './plugins-table-usage-keys.ts';

const DAY_MS = 86_400_000;
/** How long each bucket is kept (TTL): a minute chart needs days, a day chart years. */
export const USAGE_BUCKET_RETENTION_MS: Readonly<Record<UsageInterval, number>> = {
  minute: 8 * DAY_MS,
  hour: 93 * DAY_MS,
  day: 3 * 366 * DAY_MS,
};
/**
 * DynamoDB has no atomic maximum, and a conditional "only if larger" would cancel the run's
 * transaction. So each bucket ADDs the run's peak to a number set, rounded up to this step, and
 * the reader takes the set's largest member: the set is bounded (a 128 MB isolate limit makes at
 * most 2,048 members, far under the item size limit) and the maximum is exact to 64 KiB.
 */
export const HEAP_PEAK_STEP_BYTES = 65_536;

const SUMMED_FIELDS = ['wallMs', 'cpuMs', 'dataCalls', 'networkCalls'] as const;

/** The run's ADD to its minute, hour and day buckets: three updates for the settle transaction. */
export function usageBucketUpdates(tableName: string, record: InvocationRecord) {
  const atMs = Date.parse(record.at);
  const heapPeak = Math.ceil(record.usage.peakHeapBytes / HEAP_PEAK_STEP_BYTES) * HEAP_PEAK_STEP_BYTES;
  return USAGE_INTERVALS.map((interval) => {
    const startMs = bucketStartOf(atMs, interval);
    return {
      TableName: tableName,
      Key: { PK: tenantPartition(record.tenantId), SK: usageBucketKey(record.pluginId, interval, startMs) },
      UpdateExpression: [
        `ADD invocations :one, failures :failed, limitBreaches :breached, heapPeaks :heap, ${SUMMED_FIELDS.map((field) => `${field} :${field}`).join(', ')}`,
        'SET bucketStart = :start, expiresAt = :expiresAt',
      ].join(' '),
      ExpressionAttributeValues: {
        ':one': 1,
        ':failed': record.ok ? 0 : 1,
        ':breached': record.isLimitBreach === true ? 1 : 0,
        ':heap': new Set([heapPeak]),
        ...Object.fromEntries(SUMMED_FIELDS.map((field) => [`:${field}`, record.usage[field]])),
        ':start': new Date(startMs).toISOString(),
        ':expiresAt': Math.ceil((startMs + USAGE_BUCKET_RETENTION_MS[interval]) / 1000),
      },
    };
  });
}

/** A stored bucket as the domain reads it; undefined when it has expired (TTL deletes lazily). */
export function usageBucketOfItem(item: Record<string, unknown>, nowMs: number): UsageBucket | undefined {
  if (typeof item.expiresAt === 'number' && item.expiresAt * 1000 <= nowMs) return undefined;
  if (typeof item.bucketStart !== 'string') return undefined;
  const peaks = item.heapPeaks instanceof Set ? [...(item.heapPeaks as Set<unknown>)].map(Number) : [];
  return {
    start: item.bucketStart,
    invocations: numberOf(item.invocations),
    failures: numberOf(item.failures),
    limitBreaches: numberOf(item.limitBreaches),
    wallMs: numberOf(item.wallMs),
    cpuMs: numberOf(item.cpuMs),
    peakHeapBytes: Math.max(0, ...peaks),
    dataCalls: numberOf(item.dataCalls),
    networkCalls: numberOf(item.networkCalls),
  };
}

const numberOf = (value: unknown): number => (typeof value === 'number' ? value : 0);
