import type { PlatformEvent } from '../../domain/platform-events.ts';

/**
 * The messages between the local execution invoker and its worker processes (the local stand-in
 * for invoking the execution Lambda). Defined beside the invoker, so the adapter never imports
 * the worker application.
 */
/** Parent → worker. */
export type WorkerRequest = {
  readonly id: number;
  readonly kind: 'invoke' | 'deliver';
  readonly payload: unknown;
};
/** Worker → parent. */
export type WorkerMessage =
  | { readonly type: 'ready' }
  | { readonly type: 'events'; readonly events: readonly PlatformEvent[] }
  | { readonly type: 'result'; readonly id: number; readonly ok: true; readonly value: unknown }
  | { readonly type: 'result'; readonly id: number; readonly ok: false; readonly errorName: string };
