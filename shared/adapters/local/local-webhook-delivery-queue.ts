import type { WebhookDeliveryMessage } from '../../domain/webhook-delivery.ts';
import type { Clock } from '../../ports/clock.ts';
import type { WebhookDeliveryQueue } from '../../ports/webhook-delivery-queue.ts';

/** What takes a due message: the delivery function's handler, as the local platform runs it. */
export type LocalDeliveryTarget = (message: WebhookDeliveryMessage) => Promise<void>;

/** Deliveries in flight at once on the local platform (the SQS event source's concurrency deployed). */
const DEFAULT_CONCURRENCY = 4;
/** How often a delivery that throws is offered, as the queue's redrive policy bounds it deployed. */
export const LOCAL_MAX_RECEIVES = 5;

/**
 * The local stand-in for the SQS delivery queue: a timer per message until it is due, then the
 * delivery handler, with a bound on deliveries in flight. A delivery that throws is offered again
 * a second later (SQS's visibility timeout deployed), at most LOCAL_MAX_RECEIVES times in all.
 * Messages live in memory: a restart of the local platform drops the retries still waiting.
 */
export class LocalWebhookDeliveryQueue implements WebhookDeliveryQueue {
  private readonly clock: Clock;
  private readonly concurrency: number;
  private target: LocalDeliveryTarget | undefined;
  private readonly timers = new Set<NodeJS.Timeout>();
  private readonly ready: WebhookDeliveryMessage[] = [];
  private readonly running = new Set<Promise<void>>();
  private readonly receives = new WeakMap<WebhookDeliveryMessage, number>();
  private isStopped = false;

  constructor(clock: Clock, concurrency = DEFAULT_CONCURRENCY) {
    this.clock = clock;
    this.concurrency = concurrency;
  }

  /** The handler is built after the queue (it enqueues its own retries here). */
  attach(target: LocalDeliveryTarget): void {
    this.target = target;
  }

  async enqueue(messages: readonly WebhookDeliveryMessage[]): Promise<void> {
    for (const message of messages)
      this.schedule(message, Date.parse(message.dueAt) - this.clock.now().getTime());
  }

  /** Resolves once nothing is due or running (timers for later attempts may still wait). */
  async settle(): Promise<void> {
    while (this.running.size > 0 || this.ready.length > 0) {
      this.pump();
      await Promise.allSettled([...this.running]);
    }
  }

  async stop(): Promise<void> {
    this.isStopped = true;
    for (const timer of this.timers) clearTimeout(timer);
    this.timers.clear();
    this.ready.length = 0;
    await Promise.allSettled([...this.running]);
  }

  private schedule(message: WebhookDeliveryMessage, delayMs: number): void {
    if (this.isStopped) return;
    if (delayMs <= 0) {
      this.ready.push(message);
      this.pump();
      return;
    }
    const timer = setTimeout(() => {
      this.timers.delete(timer);
      this.ready.push(message);
      this.pump();
    }, delayMs);
    timer.unref();
    this.timers.add(timer);
  }

  private pump(): void {
    const target = this.target;
    while (target && !this.isStopped && this.running.size < this.concurrency && this.ready.length > 0) {
      const message = this.ready.shift();
      if (!message) return;
      const receives = (this.receives.get(message) ?? 0) + 1;
      this.receives.set(message, receives);
      const run: Promise<void> = target(message)
        .catch(() => {
          if (receives < LOCAL_MAX_RECEIVES) this.schedule(message, 1_000);
        })
        .finally(() => {
          this.running.delete(run);
          this.pump();
        });
      this.running.add(run);
    }
  }
}
