/**
 * Rolling-window counters for the per-minute limits. The limits must hold across every process
 * that runs a tenant's plugin, so the platform passes an implementation backed by a shared store
 * (DynamoDB atomic updates); the in-memory one below serves a single process and tests.
 */
export interface UsageCounters {
  /**
   * Adds `amount` to `key` unless that would take the total within the last `windowMs` over
   * `limit`. `observed` is the total including `amount` (whether or not it was allowed), so a
   * denial can be reported with the figure that crossed the limit.
   */
  consume(key: string, amount: number, limit: number, windowMs: number): Promise<ConsumeResult>;
  /**
   * Gives back up to `amount` of what an allowed `consume` charged at `at` (its result's `at`),
   * atomically and never below zero. It lands in the slice of the window the charge went to, so
   * a refund never outlives its charge; once that slice has left the window it does nothing.
   */
  release(key: string, amount: number, windowMs: number, at: number): Promise<void>;
}

export interface ConsumeResult {
  readonly allowed: boolean;
  readonly observed: number;
  /** When an allowed positive amount was charged, on the counter's own clock: pass it to `release`. */
  readonly at?: number;
}

/** The per-minute counters one tenant's plugin is charged to: its CPU time and its API calls. */
export const RUN_COUNTERS = ['cpuMs', 'databaseQueries', 'networkCalls'] as const;
export type RunCounter = (typeof RUN_COUNTERS)[number];

/** A counter's key: `<tenant>/<plugin>/<counter>`, the format a store may partition by. */
export const runCounterKey = (tenantId: string, pluginId: string, counter: RunCounter): string =>
  `${tenantId}/${pluginId}/${counter}`;

const BUCKETS = 60;

interface Window {
  readonly windowMs: number;
  readonly amounts: number[];
  readonly starts: number[];
}

/** Sixty buckets per window: exact to a sixtieth of the window, constant memory per key. */
export class InMemoryUsageCounters implements UsageCounters {
  readonly #windows = new Map<string, Window>();
  readonly #now: () => number;

  constructor(options: { now?: () => number } = {}) {
    this.#now = options.now ?? Date.now;
  }

  consume(key: string, amount: number, limit: number, windowMs: number): Promise<ConsumeResult> {
    return Promise.resolve(this.consumeSync(key, amount, limit, windowMs));
  }

  consumeSync(key: string, amount: number, limit: number, windowMs: number): ConsumeResult {
    const window = this.#windowFor(key, windowMs);
    const bucketMs = windowMs / BUCKETS;
    const now = this.#now();
    const bucketStart = Math.floor(now / bucketMs) * bucketMs;
    let total = 0;
    for (let index = 0; index < BUCKETS; index++) {
      const start = window.starts[index] ?? Number.NEGATIVE_INFINITY;
      if (start <= now - windowMs) {
        window.amounts[index] = 0;
      } else {
        total += window.amounts[index] ?? 0;
      }
    }
    const observed = total + amount;
    if (observed > limit && amount > 0) return { allowed: false, observed };
    const slot = Math.floor(now / bucketMs) % BUCKETS;
    if (window.starts[slot] !== bucketStart) {
      window.starts[slot] = bucketStart;
      window.amounts[slot] = 0;
    }
    window.amounts[slot] = (window.amounts[slot] ?? 0) + amount;
    return amount > 0
      ? { allowed: observed <= limit, observed, at: now }
      : { allowed: observed <= limit, observed };
  }

  release(key: string, amount: number, windowMs: number, at: number): Promise<void> {
    const window = this.#windows.get(key);
    const bucketMs = windowMs / BUCKETS;
    const slot = Math.floor(at / bucketMs) % BUCKETS;
    if (!window || window.windowMs !== windowMs || amount <= 0) return Promise.resolve();
    if (window.starts[slot] !== Math.floor(at / bucketMs) * bucketMs) return Promise.resolve();
    window.amounts[slot] = Math.max(0, (window.amounts[slot] ?? 0) - amount);
    return Promise.resolve();
  }

  #windowFor(key: string, windowMs: number): Window {
    const existing = this.#windows.get(key);
    if (existing && existing.windowMs === windowMs) return existing;
    const created: Window = {
      windowMs,
      amounts: new Array<number>(BUCKETS).fill(0),
      starts: new Array<number>(BUCKETS).fill(Number.NEGATIVE_INFINITY),
    };
    this.#windows.set(key, created);
    return created;
  }
}
