import type { SecurityAdvisoryEventDetail } from '../domain/advisory-rescan.ts';
import type { TenantEvent, TenantEventType } from '../domain/tenant-events.ts';
import { TENANT_EVENT_ROUTES } from '../http/routes/tenant-event-routes.ts';
import type { HttpTransport } from './http-transport.ts';
import { routeOf } from './route-lookup.ts';
import type { ResultOf } from './route-types.ts';

const EVENTS = routeOf(TENANT_EVENT_ROUTES, 'GET /v1/events');
export type EventsPage = ResultOf<typeof EVENTS>;

/**
 * The detail an event carries. Only the advisory event's detail has a schema on the server; the
 * lifecycle events carry `tenantId`, `pluginId`, `version` and per type `actor`, `grants`
 * (enabled), `reason` (disabled), `previousVersion` (updated), `code` and `requestId` (error),
 * `resource`, `limit`, `observed` (resource:exceeded): ids, codes and figures, never PHI.
 */
export type TenantEventDetail<Type extends TenantEventType> = Type extends 'security:advisory'
  ? SecurityAdvisoryEventDetail
  : Readonly<Record<string, unknown>>;

/** What a handler receives: the seed's shape (`{ pluginId, version, … }`) plus the envelope. */
export type TenantEventPayload<Type extends TenantEventType> = TenantEventDetail<Type> & {
  readonly id: string;
  readonly name: Type;
  readonly time: string;
  readonly tenantId: string;
};
export type TenantEventHandler<Type extends TenantEventType> = (
  event: TenantEventPayload<Type>,
) => void | Promise<void>;
/** A poll that failed (after the transport's retries) or a handler that threw; the loop goes on. */
export type FeedErrorHandler = (error: unknown, event?: TenantEvent) => void;

export interface TenantEventFeedOptions {
  /** Resume after this cursor (one `cursor` gave before); absent: from the oldest event kept. */
  readonly cursor?: string;
  /** Ask the server for these types only (default: all, filtered here by the handlers). */
  readonly types?: readonly TenantEventType[];
  /** Wait between polls that found nothing new (default 5 s). */
  readonly intervalMs?: number;
  /** The longest wait after consecutive failed polls (default 60 s); failures double the wait. */
  readonly maxIntervalMs?: number;
  /** Events per page (default 100, the route's maximum). */
  readonly limit?: number;
  /** Start polling on the first `on()` of an event type (default true). */
  readonly autoStart?: boolean;
}

/** Ids remembered for de-duplication: a page boundary replays at most one page's worth. */
const REMEMBERED_IDS = 1_000;

/**
 * `on(type, handler)` fed by `GET /v1/events`: polls while it runs, delivers each event once and
 * in feed order (awaiting async handlers), advances the cursor only past events it delivered,
 * and never lets a handler's throw or a failed poll stop the loop (they go to `on('error')`).
 */
export class TenantEventFeed {
  private readonly transport: HttpTransport;
  private readonly options: TenantEventFeedOptions;
  private readonly handlers = new Map<TenantEventType, Set<TenantEventHandler<TenantEventType>>>();
  private readonly errorHandlers = new Set<FeedErrorHandler>();
  private readonly seen = new Set<string>();
  private position: string | undefined;
  private isRunning = false;
  private timer: ReturnType<typeof setTimeout> | undefined;
  private running: Promise<void> | undefined;
  private failures = 0;

  constructor(transport: HttpTransport, options: TenantEventFeedOptions = {}) {
    this.transport = transport;
    this.options = options;
    this.position = options.cursor;
  }

  /** The cursor after the last event delivered: persist it and pass it back as `cursor`. */
  get cursor(): string | undefined {
    return this.position;
  }

  on<Type extends TenantEventType>(type: Type, handler: TenantEventHandler<Type>): this;
  on(type: 'error', handler: FeedErrorHandler): this;
  on(type: TenantEventType | 'error', handler: TenantEventHandler<never> | FeedErrorHandler): this {
    if (type === 'error') {
      this.errorHandlers.add(handler as FeedErrorHandler);
      return this;
    }
    const set = this.handlers.get(type) ?? new Set();
    set.add(handler as TenantEventHandler<TenantEventType>);
    this.handlers.set(type, set);
    if (this.options.autoStart ?? true) this.start();
    return this;
  }

  off<Type extends TenantEventType>(type: Type, handler: TenantEventHandler<Type>): this;
  off(type: 'error', handler: FeedErrorHandler): this;
  off(type: TenantEventType | 'error', handler: TenantEventHandler<never> | FeedErrorHandler): this {
    if (type === 'error') this.errorHandlers.delete(handler as FeedErrorHandler);
    else this.handlers.get(type)?.delete(handler as TenantEventHandler<TenantEventType>);
    return this;
  }

  start(): void {
    if (this.isRunning) return;
    this.isRunning = true;
    // A poll still in flight from before a stop() schedules the next one itself when it ends.
    if (this.running === undefined && this.timer === undefined) this.schedule(0);
  }

  /** Stops polling; resolves once a poll in flight has delivered its page, so a process can exit. */
  async stop(): Promise<void> {
    this.isRunning = false;
    if (this.timer !== undefined) clearTimeout(this.timer);
    this.timer = undefined;
    await this.running;
  }

  /**
   * Reads pages until the feed has nothing newer and delivers them; answers how many events it
   * delivered. The polling loop calls it; a scheduled job can call it instead of `start()`.
   */
  poll(): Promise<number> {
    return this.drain(() => true);
  }

  private async drain(shouldGoOn: () => boolean): Promise<number> {
    const limit = this.options.limit ?? 100;
    let delivered = 0;
    for (;;) {
      const before = this.position;
      const { body: page } = await this.transport.send(EVENTS, {
        query: {
          after: this.position,
          limit,
          ...(this.options.types ? { types: this.options.types } : {}),
        },
      });
      for (const event of page.items) if (await this.deliver(event)) delivered++;
      this.position = page.cursor;
      // A full page that did not move the cursor would be read again forever: wait for the next poll.
      if (page.items.length < limit || page.cursor === before || !shouldGoOn()) return delivered;
    }
  }

  private schedule(delayMs: number): void {
    this.timer = setTimeout(() => {
      this.timer = undefined;
      this.running = this.tick().finally(() => {
        this.running = undefined;
      });
    }, delayMs);
  }

  private async tick(): Promise<void> {
    const interval = this.options.intervalMs ?? 5_000;
    try {
      await this.drain(() => this.isRunning);
      this.failures = 0;
    } catch (error) {
      this.failures++;
      this.reportError(error);
    }
    if (!this.isRunning || this.timer !== undefined) return;
    const backoff = interval * 2 ** Math.min(this.failures, 16);
    this.schedule(this.failures === 0 ? interval : Math.min(this.options.maxIntervalMs ?? 60_000, backoff));
  }

  private async deliver(event: TenantEvent): Promise<boolean> {
    if (this.seen.has(event.id)) return false;
    this.remember(event.id);
    // Frozen: every handler of the event sees it as the feed answered it, whatever the others do.
    const payload = Object.freeze({
      ...event.detail,
      id: event.id,
      name: event.name,
      time: event.time,
      tenantId: event.tenantId,
    });
    for (const handler of [...(this.handlers.get(event.name) ?? [])]) {
      try {
        await handler(payload as TenantEventPayload<TenantEventType>);
      } catch (error) {
        this.reportError(error, event);
      }
    }
    return true;
  }

  private remember(id: string): void {
    this.seen.add(id);
    if (this.seen.size > REMEMBERED_IDS) {
      const oldest = this.seen.values().next().value;
      if (oldest !== undefined) this.seen.delete(oldest);
    }
  }

  private reportError(error: unknown, event?: TenantEvent): void {
    for (const handler of [...this.errorHandlers]) {
      try {
        handler(error, event);
      } catch {
        // An error listener's own failure has nowhere left to go; the loop must survive it.
      }
    }
  }
}
