/**
 * The messages between the local execution invoker and its worker processes (the local stand-in
 * for invoking the execution Lambda). Defined beside the invoker, so the adapter never imports
 * the worker application. No events cross: a run's events go to the outbox, as in the Lambda.
 */
/** Parent → worker: a run to serve. */
export type WorkerRequest = {
  readonly id: number;
  readonly kind: 'invoke' | 'deliver';
  readonly payload: unknown;
};
/** Worker → parent. */
export type WorkerMessage =
  | { readonly type: 'ready' }
  | { readonly type: 'result'; readonly id: number; readonly ok: true; readonly value: unknown }
  | { readonly type: 'result'; readonly id: number; readonly ok: false; readonly errorName: string };
