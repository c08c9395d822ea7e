import { EventEmitter } from 'node:events';
import type { LifecycleEventName, PlatformEvent } from '../../domain/platform-events.ts';
import { type EventSources, platformEvent } from '../platform-event.ts';

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
 * The lifecycle events of a change, and the `pluginService.on(...)` emitter. An event is built
 * first, written to the outbox in the change's transaction (the outbox's stream delivers it to
 * EventBridge with `detail-type` = its name), and only once that write committed are the in-process
 * listeners told: a listener never hears of a change that did not happen.
 */
export class LifecycleEvents {
  private readonly emitter = new EventEmitter();
  private readonly sources: EventSources;

  constructor(sources: EventSources) {
    this.sources = sources;
  }

  on(name: LifecycleEventName, listener: LifecycleListener): void {
    this.emitter.on(name, listener);
  }

  /** The event `name` for the outbox; its detail carries its time, as listeners receive it. */
  event(name: LifecycleEventName, detail: LifecycleEventInput): PlatformEvent {
    const event = platformEvent(name, detail.tenantId, { ...detail }, this.sources);
    event.detail = { ...detail, time: event.time };
    return event;
  }

  /** Tells the listeners of events whose change committed. */
  notify(events: readonly PlatformEvent[]): void {
    for (const event of events) {
      const detail = { ...event.detail } as LifecycleEventDetail;
      // A listener's failure must not undo a stored change nor hide it from other listeners.
      for (const listener of this.emitter.listeners(event.name) as LifecycleListener[]) {
        try {
          listener(detail);
        } catch {
          /* listeners are observers */
        }
      }
    }
  }
}
