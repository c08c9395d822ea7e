import type { InternalError } from '../../../shared/sandbox/unsettled-charges.ts';
import { InMemoryUsageCounters, type UsageCounters } from '../../../shared/sandbox/usage-counters.ts';
import { createTestSandbox } from './sandbox-harness.ts';

/** What a store client throws during an outage; its message carries a canary that must never be logged. */
export class CounterStoreDownError extends Error {
  constructor() {
    super('counter store unreachable while writing Ada Example');
    this.name = 'CounterStoreDownError';
  }
}

/**
 * In-memory counters whose store can go down per operation (`release`) or per operation and
 * counter (`consume:databaseQueries`, the last part of the key), and come back.
 */
export function flakyCounters() {
  const inner = new InMemoryUsageCounters();
  const down = new Set<string>();
  const isDown = (operation: string, key: string) =>
    down.has(operation) || down.has(`${operation}:${key.split('/').at(-1)}`);
  const counters: UsageCounters = {
    consume: (key, amount, limit, windowMs) =>
      isDown('consume', key)
        ? Promise.reject(new CounterStoreDownError())
        : inner.consume(key, amount, limit, windowMs),
    release: (key, amount, windowMs, at) =>
      isDown('release', key)
        ? Promise.reject(new CounterStoreDownError())
        : inner.release(key, amount, windowMs, at),
  };
  /** The counter's current total, read with a zero-amount consume that charges nothing. */
  const total = (key: string) => inner.consumeSync(key, 0, Number.POSITIVE_INFINITY, 60_000).observed;
  return { counters, down, total };
}

/** A test sandbox over flaky counters that keeps what its internal-error hook reported. */
export function sandboxOverFlakyCounters() {
  const flaky = flakyCounters();
  const internalErrors: InternalError[] = [];
  const harness = createTestSandbox({
    counters: flaky.counters,
    onInternalError: (error) => {
      internalErrors.push(error);
    },
  });
  return { ...flaky, ...harness, internalErrors };
}
