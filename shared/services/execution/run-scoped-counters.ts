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

interface Reservation {
  /** What is left of it. */
  amount: number;
  readonly at: number;
  readonly observed: number;
}

/**
 * One run's view of the shared counters. Its first CPU chunks are reserved before the run, in the
 * same round trip as the lease claim, and handed to the sandbox's CPU charges they cover; the CPU the run
 * gives back afterwards is kept here and written with the run's usage and lease release in one
 * transaction. Every other charge (the plugin's rate counters, later CPU chunks) goes to the store
 * as before, so the limits are the sandbox's own. A refund that is never written leaves the budget
 * taken (it only over-counts); a reservation the store refuses or fails is simply not made, and
 * the sandbox's own charge then fails closed as it always did.
 */
export class RunScopedCounters implements UsageCounters {
  private readonly counters: UsageCounters;
  private readonly cpuKey: string;
  private reservation: Reservation | undefined;
  private readonly refunds: CounterRefund[] = [];

  constructor(counters: UsageCounters, cpuKey: string) {
    this.counters = counters;
    this.cpuKey = cpuKey;
  }

  /** Never rejects: without a reservation the sandbox reserves for itself. */
  async reserveFirstChunk(limits: { cpuMsPerMinute: number; timeoutMs: number }): Promise<void> {
    const maxUseMs = limits.timeoutMs + 2 * CPU_WATCHDOG_INTERVAL_MS;
    const amount = Math.max(1, Math.min(RESERVED_CPU_MS, maxUseMs));
    try {
      const charged = await this.counters.consume(this.cpuKey, amount, limits.cpuMsPerMinute, RATE_WINDOW_MS);
      if (charged.allowed && charged.at !== undefined) {
        this.reservation = { amount, at: charged.at, observed: charged.observed };
      }
    } catch {
      // The sandbox's own charge meets the same store and refuses the run (fail closed).
    }
  }

  consume(key: string, amount: number, limit: number, windowMs: number): Promise<ConsumeResult> {
    const reservation = this.reservation;
    const isCovered =
      key === this.cpuKey &&
      windowMs === RATE_WINDOW_MS &&
      amount > 0 &&
      amount <= (reservation?.amount ?? 0);
    if (!reservation || !isCovered) return this.counters.consume(key, amount, limit, windowMs);
    reservation.amount -= amount;
    return Promise.resolve({ allowed: true, observed: reservation.observed, at: reservation.at });
  }

  release(key: string, amount: number, windowMs: number, at: number): Promise<void> {
    if (key !== this.cpuKey) return this.counters.release(key, amount, windowMs, at);
    this.refund({ key, amount, windowMs, at });
    return Promise.resolve();
  }

  /** Everything to give back now: the refunds kept, and a reservation no run used. */
  takeRefunds(): CounterRefund[] {
    const reservation = this.reservation;
    this.reservation = undefined;
    if (reservation) {
      this.refund({
        key: this.cpuKey,
        amount: reservation.amount,
        windowMs: RATE_WINDOW_MS,
        at: reservation.at,
      });
    }
    return this.refunds.splice(0);
  }

  private refund(refund: CounterRefund): void {
    if (refund.amount > 0) this.refunds.push(refund);
  }
}
