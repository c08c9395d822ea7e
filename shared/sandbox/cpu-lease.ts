import type { StoreLatency } from './store-latency.ts';
import type { FailedCharge } from './unsettled-charges.ts';
import { runCounterKey, type UsageCounters } from './usage-counters.ts';

/** The counter a run's CPU time is reserved from: one per tenant and plugin. */
export const cpuCounterKey = (tenantId: string, pluginId: string): string =>
  runCounterKey(tenantId, pluginId, 'cpuMs');

/** How often the host samples a running isolate's CPU time; a run may pass its holding by this much. */
export const CPU_WATCHDOG_INTERVAL_MS = 10;
/** Most runs use under 5 ms, so the first reservation covers them and they cost no extra store trip. */
export const FIRST_CPU_CHUNK_MS = 30;
/**
 * Ask for the next chunk while this much of the holding is left, plus two of the store's recent
 * round trips (`leadMs`): a sample may come a whole interval late, and the answer takes a while.
 */
const LEAD_MS = 3 * CPU_WATCHDOG_INTERVAL_MS;
/** Less than this left in the budget counts as none: a run could not even start with it. */
const MIN_GRANT_MS = 1;
interface Grant {
  readonly amount: number;
  readonly at: number;
}

export type LeaseStart =
  | { readonly ok: true; readonly lease: CpuLease }
  | { readonly ok: false; readonly reason: 'exhausted'; readonly observed: number }
  | { readonly ok: false; readonly reason: 'unavailable' };

interface LeaseOptions {
  readonly counters: UsageCounters;
  readonly key: string;
  readonly limitMs: number;
  readonly windowMs: number;
  /** The most CPU the run can use at all (its timeout): no chunk reserves beyond it. */
  readonly maxUseMs: number;
  readonly latency: StoreLatency;
}

/**
 * A run's CPU, reserved from the shared per-minute counter before it is used. Checking a budget
 * before a run and charging after it lets N concurrent runs each spend the whole budget; here
 * every millisecond is taken from the counter (atomically, only if it fits) before the run may use
 * it, so concurrent runs on any number of instances share one budget and each can pass its holding
 * by at most one watchdog interval. The first chunk is small and later ones double, so a short run
 * costs one consume before and one release after, and a long one a few more.
 */
export class CpuLease {
  readonly #options: LeaseOptions;
  readonly #grants: Grant[] = [];
  #held = 0;
  #nextChunkMs: number;
  #pending: Promise<void> | undefined;
  #isExhausted = false;
  #hasStopped = false;
  /** Samples again once a reservation settles, so a refusal stops an overspent run at once. */
  #recheck: (() => void) | undefined;

  private constructor(options: LeaseOptions, first: Grant, isExhausted: boolean) {
    this.#options = options;
    this.#add(first);
    this.#nextChunkMs = first.amount * 2;
    this.#isExhausted = isExhausted;
  }

  /** Reserves the first chunk (or what is left of the budget); fails closed when the store fails. */
  static async acquire(options: LeaseOptions): Promise<LeaseStart> {
    // Enough to last until the first sample's reservation is back, however slow the store is.
    const first = Math.max(FIRST_CPU_CHUNK_MS, leadMs(options));
    const wanted = Math.min(first, Math.max(MIN_GRANT_MS, options.maxUseMs));
    let reserved: Reservation;
    try {
      reserved = await reserve(options, wanted);
    } catch {
      return { ok: false, reason: 'unavailable' };
    }
    if (!reserved.grant) return { ok: false, reason: 'exhausted', observed: reserved.observed };
    // What was left of the budget, not a whole chunk: there is nothing more to ask for.
    const isExhausted = reserved.grant.amount < wanted;
    const lease = new CpuLease(options, reserved.grant, isExhausted);
    // The store just proved slower than the chunk lasts (a cold connection): ask for the next one
    // now, while the run starts, rather than at its first sample.
    if (!isExhausted && leadMs(options) > reserved.grant.amount) lease.#extend(0);
    return { ok: true, lease };
  }

  get heldMs(): number {
    return this.#held;
  }

  /**
   * From the watchdog, synchronously: whether a run that has used `usedMs` may go on. It asks for
   * the next chunk ahead of need, off the isolate's path; while that is pending, or once the
   * budget refused one, the run may only use what it holds, so a slow store can stop a run but
   * never let it overspend.
   *
   * A sample can also find the holding passed with nothing pending: the tick came late, or
   * `isolate.cpuTime` counted wall time (isolated-vm measures a running task by the clock, so a
   * descheduled isolate seems to spend CPU). Stopping then would fail healthy runs on a busy
   * host, so the lease reserves the overshoot with the next chunk and `recheck`s (samples again)
   * when that settles: a refusal then stops the run at once.
   */
  allows(usedMs: number, recheck: () => void): boolean {
    this.#recheck = recheck;
    const headroom = this.#held - usedMs;
    // Holding all the run can use before its timeout: the host timer, not the budget, ends it.
    const canGrow = this.#options.maxUseMs - this.#held >= MIN_GRANT_MS;
    if (headroom < 0) {
      if (this.#pending || this.#isExhausted) {
        this.#hasStopped = true;
        return false;
      }
      if (canGrow) this.#extend(-headroom);
      return true;
    }
    const lastChunk = this.#grants.at(-1)?.amount ?? 0;
    const isLow = headroom <= Math.max(leadMs(this.#options), lastChunk / 2);
    if (isLow && canGrow && !this.#pending && !this.#isExhausted) this.#extend(0);
    return true;
  }

  /**
   * After the run: waits for a pending reservation, then gives back what the run did not use (to
   * the window slices it was taken from, newest first) or charges what it used beyond its holding.
   * A run it stopped keeps its holding: the samples saw it spend that much, and it was told its
   * budget is spent, so the next run of the minute must not find room.
   * A store failure never fails the finished run; it is answered (the overshoot to charge, or a
   * probe for a lost refund) so the sandbox can hold the tenant's next run until the store answers.
   */
  async settle(usedMs: number): Promise<FailedCharge | undefined> {
    await this.#pending;
    const { counters, key, windowMs } = this.#options;
    let unused = this.#hasStopped ? Math.min(0, this.#held - usedMs) : this.#held - usedMs;
    if (unused < 0) {
      const charge = { key, amount: -unused, windowMs };
      return counters.consume(key, charge.amount, Number.POSITIVE_INFINITY, windowMs).then(
        () => undefined,
        (error: unknown) => ({ charge, error }),
      );
    }
    const refunds: Promise<{ error: unknown } | undefined>[] = [];
    for (let index = this.#grants.length - 1; index >= 0 && unused > 0; index--) {
      const grant = this.#grants[index] as Grant;
      const part = Math.min(unused, grant.amount);
      refunds.push(
        counters.release(key, part, windowMs, grant.at).then(
          () => undefined,
          (error: unknown) => ({ error }),
        ),
      );
      unused -= part;
    }
    const failure = (await Promise.all(refunds)).find((result) => result !== undefined);
    return failure && { charge: { key, amount: 0, windowMs }, error: failure.error };
  }

  #extend(overshootMs: number): void {
    const chunk = Math.max(this.#nextChunkMs, leadMs(this.#options));
    const wanted = Math.min(overshootMs + chunk, this.#options.maxUseMs - this.#held);
    this.#pending = reserve(this.#options, wanted)
      .then(
        ({ grant }) => {
          if (grant) {
            this.#add(grant);
            this.#nextChunkMs = Math.max(this.#nextChunkMs, (grant.amount - overshootMs) * 2);
          }
          // Less than asked for means the budget has nothing more to give this minute.
          if (!grant || grant.amount < wanted) this.#isExhausted = true;
        },
        // Fail closed: without the store the run keeps only what it already holds.
        () => {
          this.#isExhausted = true;
        },
      )
      .finally(() => {
        this.#pending = undefined;
        this.#recheck?.();
      });
  }

  #add(grant: Grant): void {
    this.#grants.push(grant);
    this.#held += grant.amount;
  }
}

interface Reservation {
  readonly grant: Grant | undefined;
  readonly observed: number;
}

/** Takes `wanted` if it fits, else whatever the budget has left; at most two store calls. */
async function reserve(options: LeaseOptions, wanted: number): Promise<Reservation> {
  const { counters, key, limitMs, windowMs, latency } = options;
  const startedAt = performance.now();
  const first = await counters.consume(key, wanted, limitMs, windowMs);
  latency.record(performance.now() - startedAt);
  if (first.allowed)
    return { grant: { amount: wanted, at: first.at ?? Date.now() }, observed: first.observed };
  const remaining = limitMs - (first.observed - wanted);
  if (remaining < MIN_GRANT_MS || remaining >= wanted) return { grant: undefined, observed: first.observed };
  const rest = await counters.consume(key, remaining, limitMs, windowMs);
  if (!rest.allowed) return { grant: undefined, observed: rest.observed };
  return { grant: { amount: remaining, at: rest.at ?? Date.now() }, observed: rest.observed };
}

/** Headroom at which to ask for more: a late sample plus two store round trips (consume, retry). */
function leadMs(options: LeaseOptions): number {
  return LEAD_MS + 2 * options.latency.ms;
}
