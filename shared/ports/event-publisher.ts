import type { PlatformEvent } from '../domain/platform-events.ts';

/** Publishes platform events to the bus (EventBridge in AWS, the in-process bus locally). */
export interface EventPublisher {
  publish(events: readonly PlatformEvent[]): Promise<void>;
}
