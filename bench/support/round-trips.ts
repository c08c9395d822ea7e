import { readFileSync } from 'node:fs';

export interface HttpCall {
  readonly start: number;
  readonly end: number;
  readonly what: string;
}

/** The calls logged by http-call-log.ts since `offset` bytes into the log, and the new offset. */
export function readCalls(logFile: string, offset: number): { calls: HttpCall[]; offset: number } {
  let text: string;
  try {
    text = readFileSync(logFile, 'utf8');
  } catch {
    return { calls: [], offset };
  }
  const calls = text
    .slice(offset)
    .split('\n')
    .filter(Boolean)
    .map((line) => {
      const [start, end, ...what] = line.split(' ');
      return { start: Number(start), end: Number(end), what: what.join(' ') };
    });
  return { calls, offset: text.length };
}

/**
 * Sequential round trips among calls: overlapping calls (sent together) count as one, so this is
 * the length of the chain a request waited on.
 */
export function sequentialRoundTrips(calls: readonly HttpCall[]): number {
  const sorted = [...calls].sort((a, b) => a.start - b.start);
  let trips = 0;
  let reach = Number.NEGATIVE_INFINITY;
  for (const call of sorted) {
    if (call.start >= reach) trips++;
    reach = Math.max(reach, call.end);
  }
  return trips;
}

/** Whether http-call-log.ts tagged the call as the plugin's own (its data calls and their rate counters). */
export const isPluginCall = (call: HttpCall): boolean => call.what.endsWith(' [run]');

/**
 * Whether http-call-log.ts tagged the call as the audit stream's delivery (the poller's reads and
 * the consumer's writes): in AWS a function of its own, after the answer, so no request's count.
 */
export const isDelivery = (call: HttpCall): boolean => call.what.endsWith(' [delivery]');
