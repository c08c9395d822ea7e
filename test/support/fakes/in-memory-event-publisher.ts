import type { PlatformEvent } from '../../../shared/domain/platform-events.ts';
import type { EventPublisher } from '../../../shared/ports/event-publisher.ts';

export class InMemoryEventPublisher implements EventPublisher {
  readonly published: PlatformEvent[] = [];
  failWith: Error | undefined;

  async publish(events: readonly PlatformEvent[]) {
    if (this.failWith) throw this.failWith;
    this.published.push(...structuredClone(events));
  }

  named(name: string): PlatformEvent[] {
    return this.published.filter((event) => event.name === name);
  }
}
