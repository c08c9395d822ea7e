/** Calls of one write that the caller may want to repeat across processes (say after a crash). */
export interface IdempotentCallOptions {
  /** Defaults to a fresh UUID per call, reused by that call's retries. */
  readonly idempotencyKey?: string;
}

/** The header of a call's own key, or nothing: the transport then makes one per call. */
export const keyHeader = (options: IdempotentCallOptions) =>
  options.idempotencyKey === undefined ? undefined : { 'idempotency-key': options.idempotencyKey };
