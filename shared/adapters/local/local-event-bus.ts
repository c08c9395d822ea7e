import { PLATFORM_EVENT_SOURCE, type PlatformEvent } from '../../domain/platform-events.ts';
import { type EventRule, matchesRule } from '../../events/event-rules.ts';
import type { EventPublisher } from '../../ports/event-publisher.ts';

/** What an EventBridge target receives: the envelope EventBridge builds around a PutEvents entry. */
export interface BusEnvelope {
  readonly version: '0';
  readonly id: string;
  readonly source: string;
  readonly 'detail-type': string;
  readonly time: string;
  readonly account: string;
  readonly region: string;
  readonly resources: readonly string[];
  readonly detail: Record<string, unknown>;
}

export interface LocalBusTarget {
  readonly rule: EventRule;
  /** Durable targets (the compliance log) are awaited by `publish`; others are delivered in the background. */
  readonly isDurable: boolean;
  deliver(envelope: BusEnvelope): Promise<void>;
}

const RETRY_DELAYS_MS = [100, 500, 2000];

export function toEnvelope(event: PlatformEvent): BusEnvelope {
  return {
    version: '0',
    id: event.id,
    source: PLATFORM_EVENT_SOURCE,
    'detail-type': event.name,
    time: event.time,
    account: '000000000000',
    region: 'local',
    resources: [],
    detail: { id: event.id, tenantId: event.tenantId, ...event.detail },
  };
}

/**
 * The local stand-in for the EventBridge bus: the same rule patterns as the deployed rules decide
 * which target gets which event. Like EventBridge, asynchronous targets are retried and then handed
 * to a dead-letter handler; durable targets make `publish` fail if they fail, as PutEvents would.
 */
export class LocalEventBus implements EventPublisher {
  private readonly targets: readonly LocalBusTarget[];
  private readonly onDeadLetter: (envelope: BusEnvelope, target: string, error: unknown) => void;
  private readonly pending = new Set<Promise<void>>();

  constructor(options: {
    targets: readonly LocalBusTarget[];
    onDeadLetter: (envelope: BusEnvelope, target: string, error: unknown) => void;
  }) {
    this.targets = options.targets;
    this.onDeadLetter = options.onDeadLetter;
  }

  async publish(events: readonly PlatformEvent[]): Promise<void> {
    const durable: Promise<void>[] = [];
    for (const event of events) {
      const envelope = toEnvelope(event);
      for (const target of this.targets) {
        if (!matchesRule(target.rule, { source: envelope.source, detailType: envelope['detail-type'] }))
          continue;
        if (target.isDurable) durable.push(target.deliver(envelope));
        else this.track(this.deliverWithRetries(target, envelope));
      }
    }
    await Promise.all(durable);
  }

  /** Resolves when every background delivery started so far has finished (tests, shutdown). */
  async drain(): Promise<void> {
    while (this.pending.size > 0) await Promise.allSettled([...this.pending]);
  }

  private track(delivery: Promise<void>): void {
    this.pending.add(delivery);
    void delivery.finally(() => this.pending.delete(delivery));
  }

  private async deliverWithRetries(target: LocalBusTarget, envelope: BusEnvelope): Promise<void> {
    let lastError: unknown;
    for (let attempt = 0; attempt <= RETRY_DELAYS_MS.length; attempt++) {
      try {
        await target.deliver(envelope);
        return;
      } catch (error) {
        lastError = error;
        const delay = RETRY_DELAYS_MS[attempt];
        if (delay !== undefined) await new Promise((resolve) => setTimeout(resolve, delay));
      }
    }
    this.onDeadLetter(envelope, target.rule.name, lastError);
  }
}
