import { type EventBridgeClient, PutEventsCommand } from '@aws-sdk/client-eventbridge';
import { PLATFORM_EVENT_SOURCE, type PlatformEvent } from '../../domain/platform-events.ts';
import type { EventPublisher } from '../../ports/event-publisher.ts';

/** PutEvents takes at most 10 entries per call. */
const BATCH = 10;

export class EventBridgeEventPublisher implements EventPublisher {
  private readonly client: EventBridgeClient;
  private readonly busName: string;

  constructor(client: EventBridgeClient, busName: string) {
    this.client = client;
    this.busName = busName;
  }

  async publish(events: readonly PlatformEvent[]): Promise<void> {
    for (let start = 0; start < events.length; start += BATCH) {
      const batch = events.slice(start, start + BATCH);
      const result = await this.client.send(
        new PutEventsCommand({
          Entries: batch.map((event) => ({
            EventBusName: this.busName,
            Source: PLATFORM_EVENT_SOURCE,
            DetailType: event.name,
            Time: new Date(event.time),
            Detail: JSON.stringify({ id: event.id, tenantId: event.tenantId, ...event.detail }),
          })),
        }),
      );
      // PutEvents reports per-entry failures with a 200; an audit event must not vanish silently.
      if ((result.FailedEntryCount ?? 0) > 0) {
        const codes = (result.Entries ?? []).map((entry) => entry.ErrorCode).filter(Boolean);
        throw new Error(`EventBridge refused ${result.FailedEntryCount} event(s): ${codes.join(', ')}`);
      }
    }
  }
}
