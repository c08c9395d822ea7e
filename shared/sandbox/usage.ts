import type { Usage } from './schemas.ts';

export function emptyUsage(wallMs = 0): Usage {
  return { wallMs, cpuMs: 0, peakHeapBytes: 0, dataCalls: 0, networkCalls: 0, storageBytes: 0 };
}

/** CPU figures arrive as nanosecond bigints; microsecond precision is plenty for accounting. */
export function nanosecondsToMs(nanoseconds: bigint): number {
  return Number(nanoseconds / 1000n) / 1000;
}

export function roundMs(ms: number): number {
  return Math.round(ms * 1000) / 1000;
}
