import type {
  RunLease,
  RunLeaseClaim,
  RunLeaseRequest,
  RunLeaseStore,
} from '../../../shared/ports/run-lease-store.ts';

interface Held {
  readonly token: string;
  readonly leaseUntil: number;
  readonly expectedEndAt: number;
}

/** The run-lease port in memory with the DynamoDB adapter's semantics: per-slot leases that expire. */
export class InMemoryRunLeaseStore implements RunLeaseStore {
  readonly slots = new Map<string, Map<number, Held>>();
  /** Set to make every call fail, as an unreachable store would. */
  failure: Error | undefined;
  private sequence = 0;
  private readonly now: () => number;

  constructor(now: () => number = Date.now) {
    this.now = now;
  }

  async acquire(request: RunLeaseRequest): Promise<RunLeaseClaim> {
    if (this.failure) throw this.failure;
    const now = this.now();
    const slots = this.slots.get(request.tenantId) ?? new Map<number, Held>();
    this.slots.set(request.tenantId, slots);
    const live = [...slots.entries()].filter(([, held]) => held.leaseUntil > now);
    if (live.length >= request.capacity) {
      const earliest = Math.min(...live.map(([, held]) => held.expectedEndAt));
      return { status: 'full', held: live.length, retryAfterMs: Math.max(0, earliest - now) };
    }
    const taken = new Set(live.map(([slot]) => slot));
    const slot = [...Array(request.capacity).keys()].find((index) => !taken.has(index)) as number;
    const token = `lease-${++this.sequence}`;
    slots.set(slot, {
      token,
      leaseUntil: now + request.leaseMs,
      expectedEndAt: now + request.expectedRunMs,
    });
    return { status: 'acquired', lease: { tenantId: request.tenantId, slot, token } };
  }

  async release(lease: RunLease): Promise<void> {
    if (this.failure) throw this.failure;
    const slots = this.slots.get(lease.tenantId);
    if (slots?.get(lease.slot)?.token === lease.token) slots.delete(lease.slot);
  }

  held(tenantId: string): number {
    const now = this.now();
    return [...(this.slots.get(tenantId)?.values() ?? [])].filter((held) => held.leaseUntil > now).length;
  }
}
