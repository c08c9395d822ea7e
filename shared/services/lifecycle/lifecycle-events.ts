import { EventEmitter } from 'node:events';
import type { LifecycleEventName } from '../../domain/platform-events.ts';
import type { Clock } from '../../ports/clock.ts';
import type { EventPublisher } from '../../ports/event-publisher.ts';
import type { IdGenerator } from '../../ports/id-generator.ts';
import { platformEvent } from '../platform-event.ts';

export interface LifecycleEventInput {
  readonly tenantId: string;
  readonly pluginId: string;
  readonly version: string;
  readonly actor: string;
  readonly [extra: string]: unknown;
}

export type LifecycleEventDetail = LifecycleEventInput & { readonly time: string };

export type LifecycleListener = (detail: LifecycleEventDetail) => void;

/**
 * The `pluginService.on(...)` emitter, and the bus: every lifecycle event is delivered to
 * in-process listeners and published to EventBridge with `detail-type` = the event name.
 */
export class LifecycleEvents {
  private readonly emitter = new EventEmitter();
  private readonly publisher: EventPublisher;
  private readonly clock: Clock;
  private readonly ids: IdGenerator;

  constructor(deps: { publisher: EventPublisher; clock: Clock; ids: IdGenerator }) {
    this.publisher = deps.publisher;
    this.clock = deps.clock;
    this.ids = deps.ids;
  }

  on(name: LifecycleEventName, listener: LifecycleListener): void {
    this.emitter.on(name, listener);
  }

  async emit(name: LifecycleEventName, detail: LifecycleEventInput): Promise<void> {
    const event = platformEvent(name, detail.tenantId, { ...detail }, { ids: this.ids, clock: this.clock });
    const full: LifecycleEventDetail = { ...detail, time: event.time };
    event.detail = { ...full };
    await this.publisher.publish([event]);
    // A listener's failure must not undo a stored change nor hide it from other listeners.
    for (const listener of this.emitter.listeners(name) as LifecycleListener[]) {
      try {
        listener(full);
      } catch {
        /* listeners are observers */
      }
    }
  }
}
