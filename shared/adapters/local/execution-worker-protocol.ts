import type { PlatformEvent } from '../../domain/platform-events.ts';

/**
 * The messages between the local execution invoker and its worker processes (the local stand-in
 * for invoking the execution Lambda). Defined beside the invoker, so the adapter never imports
 * the worker application.
 */
/** Parent → worker: a run to serve. */
export type WorkerRequest = {
  readonly id: number;
  readonly kind: 'invoke' | 'deliver';
  readonly payload: unknown;
};
/**
 * Parent → worker: whether the bus took the events of one `events` message. The worker's publish
 * waits for it, so a failed delivery (the compliance log, where audit records go) fails the
 * publish inside the run's recording as it would with EventBridge, instead of vanishing.
 */
export type EventsAck =
  | { readonly type: 'events-ack'; readonly id: number; readonly ok: true }
  | { readonly type: 'events-ack'; readonly id: number; readonly ok: false; readonly errorName: string };
/** Worker → parent. */
export type WorkerMessage =
  | { readonly type: 'ready' }
  | { readonly type: 'events'; readonly id: number; readonly events: readonly PlatformEvent[] }
  | { readonly type: 'result'; readonly id: number; readonly ok: true; readonly value: unknown }
  | { readonly type: 'result'; readonly id: number; readonly ok: false; readonly errorName: string };
