import {
  type EventBridgeClient,
  PutEventsCommand,
  type PutEventsRequestEntry,
} from '@aws-sdk/client-eventbridge';
import { PLATFORM_EVENT_SOURCE, type PlatformEvent } from '../../domain/platform-events.ts';
import type { EventPublisher } from '../../ports/event-publisher.ts';

/** PutEvents takes at most 10 entries, and 256 KB of them, per call. */
const BATCH = 10;
const MAX_REQUEST_BYTES = 256 * 1024;

/** An entry's size as EventBridge counts it (UTF-8 of source, detail type and detail, 14 for the time). */
const entrySize = (entry: PutEventsRequestEntry) =>
  Buffer.byteLength(entry.Source ?? '') +
  Buffer.byteLength(entry.DetailType ?? '') +
  Buffer.byteLength(entry.Detail ?? '') +
  (entry.Time ? 14 : 0);

/** Consecutive batches of at most 10 entries and 256 KB each, in order. */
function batchesOf(entries: readonly PutEventsRequestEntry[]): PutEventsRequestEntry[][] {
  const batches: PutEventsRequestEntry[][] = [];
  let current: PutEventsRequestEntry[] = [];
  let size = 0;
  for (const entry of entries) {
    const bytes = entrySize(entry);
    if (current.length > 0 && (current.length === BATCH || size + bytes > MAX_REQUEST_BYTES)) {
      batches.push(current);
      current = [];
      size = 0;
    }
    current.push(entry);
    size += bytes;
  }
  if (current.length > 0) batches.push(current);
  return batches;
}

/** How often the entries PutEvents refused are sent again, and how long to wait between tries. */
export interface PutEventsRetryPolicy {
  readonly attempts: number;
  readonly baseDelayMs: number;
  readonly sleep?: (ms: number) => Promise<void>;
}
/** Four attempts, 50, 100 then 200 ms apart: a throttled entry usually goes through on the next. */
export const DEFAULT_PUT_EVENTS_RETRY: PutEventsRetryPolicy = { attempts: 4, baseDelayMs: 50 };

const sleepFor = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

export class EventBridgeEventPublisher implements EventPublisher {
  private readonly client: EventBridgeClient;
  private readonly busName: string;
  private readonly retry: PutEventsRetryPolicy;

  constructor(
    client: EventBridgeClient,
    busName: string,
    retry: PutEventsRetryPolicy = DEFAULT_PUT_EVENTS_RETRY,
  ) {
    this.client = client;
    this.busName = busName;
    this.retry = retry;
  }

  async publish(events: readonly PlatformEvent[]): Promise<void> {
    for (const batch of batchesOf(events.map((event) => this.entryOf(event))))
      await this.putWithRetries(batch);
  }

  private entryOf(event: PlatformEvent): PutEventsRequestEntry {
    return {
      EventBusName: this.busName,
      Source: PLATFORM_EVENT_SOURCE,
      DetailType: event.name,
      Time: new Date(event.time),
      Detail: JSON.stringify({ id: event.id, tenantId: event.tenantId, ...event.detail }),
    };
  }

  /**
   * PutEvents reports per-entry failures with a 200 (results in request order): only the refused
   * entries are sent again, so an accepted one is not delivered twice by this call. After the last
   * attempt the call rejects, naming the error codes; an event must not vanish silently.
   */
  private async putWithRetries(entries: PutEventsRequestEntry[]): Promise<void> {
    const { attempts, baseDelayMs, sleep = sleepFor } = this.retry;
    let pending = entries;
    for (let attempt = 1; ; attempt += 1) {
      const result = await this.client.send(new PutEventsCommand({ Entries: pending }));
      if ((result.FailedEntryCount ?? 0) === 0) return;
      const results = result.Entries ?? [];
      const refused = pending.filter((_, index) => {
        const entry = results[index];
        // A missing result is not proof of delivery.
        return entry === undefined || entry.ErrorCode !== undefined || entry.EventId === undefined;
      });
      // Nothing refused after all (a count without results to match): nothing to send again.
      if (refused.length === 0) return;
      if (attempt >= Math.max(1, attempts)) {
        const codes = [...new Set(results.map((entry) => entry.ErrorCode).filter(Boolean))];
        throw new Error(
          `EventBridge refused ${refused.length} event(s) after ${attempt} attempts: ${codes.join(', ')}`,
        );
      }
      pending = refused;
      await sleep(baseDelayMs * 2 ** (attempt - 1));
    }
  }
}
