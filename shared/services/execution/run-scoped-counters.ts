import type { CounterRefund } from '../../ports/run-ledger.ts';
import { CPU_WATCHDOG_INTERVAL_MS, FIRST_CPU_CHUNK_MS } from '../../sandbox/cpu-lease.ts';
import { RATE_WINDOW_MS } from '../../sandbox/limits.ts';
import type { ConsumeResult, UsageCounters } from '../../sandbox/usage-counters.ts';

/**
 * Reserved ahead of the run: the sandbox's first chunk (FIRST_CPU_CHUNK_MS plus two of the store's
 * recent round trips) and the one it asks for at its first sample (twice that), so a short run
 * makes no CPU charge of its own. A charge the rest cannot cover goes to the store.
 */
const RESERVED_CPU_MS = 4 * FIRST_CPU_CHUNK_MS;

/**
 * Data calls reserved ahead of the run: most runs make a few, and each would otherwise cost the
 * plugin one counter-store round trip before its call is served. What a run does not use is given
 * back with its settlement; until then concurrent runs see the reservation as used (over-counting
 * only, never under).
 */
const RESERVED_DATA_CALLS = 4;

interface Reservation {
  /** What is left of it. */
  amount: number;
  readonly at: number;
  readonly observed: number;
}

/** The counters a run's reservations are taken on. */
export interface RunCounterKeys {
  readonly cpu: string;
  readonly dataCalls: string;
}

/**
 * One run's view of the shared counters. Its first CPU chunks and its first data calls are
 * reserved before the run, in the same round trip as the lease claim, and handed to the sandbox's
 * charges they cover; what the run gives back afterwards is kept here and written with the run's
 * usage and lease release in one transaction. Every other charge (further data and network calls,
 * later CPU chunks) goes to the store as before, so the limits are the sandbox's own. A refund
 * that is never written leaves the budget taken (it only over-counts); a reservation the store
 * refuses or fails is simply not made, and the sandbox's own charge then fails closed as it always
 * did.
 */
export class RunScopedCounters implements UsageCounters {
  private readonly counters: UsageCounters;
  private readonly keys: RunCounterKeys;
  private readonly reservations = new Map<string, Reservation>();
  private readonly refunds: CounterRefund[] = [];

  constructor(counters: UsageCounters, keys: RunCounterKeys) {
    this.counters = counters;
    this.keys = keys;
  }

  /** Never rejects: without a reservation the sandbox charges the store itself. */
  async reserveFirstCharges(limits: {
    cpuMsPerMinute: number;
    timeoutMs: number;
    databaseQueriesPerMinute: number;
  }): Promise<void> {
    const maxUseMs = limits.timeoutMs + 2 * CPU_WATCHDOG_INTERVAL_MS;
    await Promise.all([
      this.reserve(this.keys.cpu, Math.min(RESERVED_CPU_MS, maxUseMs), limits.cpuMsPerMinute),
      this.reserve(
        this.keys.dataCalls,
        Math.min(RESERVED_DATA_CALLS, limits.databaseQueriesPerMinute),
        limits.databaseQueriesPerMinute,
      ),
    ]);
  }

  consume(key: string, amount: number, limit: number, windowMs: number): Promise<ConsumeResult> {
    const reservation = this.reservations.get(key);
    const isCovered =
      reservation !== undefined && windowMs === RATE_WINDOW_MS && amount > 0 && amount <= reservation.amount;
    if (!reservation || !isCovered) return this.counters.consume(key, amount, limit, windowMs);
    reservation.amount -= amount;
    return Promise.resolve({ allowed: true, observed: reservation.observed, at: reservation.at });
  }

  release(key: string, amount: number, windowMs: number, at: number): Promise<void> {
    if (key !== this.keys.cpu) return this.counters.release(key, amount, windowMs, at);
    this.refund({ key, amount, windowMs, at });
    return Promise.resolve();
  }

  /** Everything to give back now: the refunds kept, and what no charge used of the reservations. */
  takeRefunds(): CounterRefund[] {
    for (const [key, reservation] of this.reservations) {
      this.refund({ key, amount: reservation.amount, windowMs: RATE_WINDOW_MS, at: reservation.at });
    }
    this.reservations.clear();
    return this.refunds.splice(0);
  }

  private async reserve(key: string, amount: number, limit: number): Promise<void> {
    if (amount < 1) return;
    try {
      const charged = await this.counters.consume(key, amount, limit, RATE_WINDOW_MS);
      if (charged.allowed && charged.at !== undefined) {
        this.reservations.set(key, { amount, at: charged.at, observed: charged.observed });
      }
    } catch {
      // The sandbox's own charge meets the same store and refuses the run (fail closed).
    }
  }

  private refund(refund: CounterRefund): void {
    if (refund.amount > 0) this.refunds.push(refund);
  }
}
