/**
 * Slots for plugin runs in flight, per tenant, shared by every execution instance: a tenant may
 * hold at most `capacity` leases at once. A lease is taken before a run and given back after it;
 * one that is never given back (its instance crashed or was frozen) expires after `leaseMs`.
 * An implementation that cannot reach its store rejects: callers refuse the run (fail closed).
 */
export interface RunLeaseStore {
  /**
   * `seen`: the tenant's slot items as just read with the rest of the run's context (the run
   * ledger's read); the first round then claims without reading them again.
   */
  acquire(request: RunLeaseRequest, seen?: readonly LeaseSlot[]): Promise<RunLeaseClaim>;
  /** Gives the slot back; a lease that expired and was taken over meanwhile is left alone. */
  release(lease: RunLease): Promise<void>;
}

export interface RunLeaseRequest {
  readonly tenantId: string;
  /** Runs the tenant may have in flight (its policy's `maxConcurrentRuns`). */
  readonly capacity: number;
  /** Held at most this long without a release: longer than any run can take. */
  readonly leaseMs: number;
  /** When this run should be over (its wall-clock limit): the hint behind Retry-After. */
  readonly expectedRunMs: number;
  /** The request id, for operators reading the lease (ids only). */
  readonly holder: string;
}

export interface RunLease {
  readonly tenantId: string;
  readonly slot: number;
  readonly token: string;
}

export type RunLeaseClaim =
  | { readonly status: 'acquired'; readonly lease: RunLease }
  /** `retryAfterMs`: until the earliest held run is expected to end (0 when one is overdue). */
  | { readonly status: 'full'; readonly held: number; readonly retryAfterMs: number };

/** One slot item as stored: who holds it until when (a passed `leaseUntil` means free). */
export interface LeaseSlot {
  readonly slot: number;
  readonly leaseUntil: number;
  /** When the holder's run should be over: the hint behind Retry-After. */
  readonly expectedEndAt: number;
}
