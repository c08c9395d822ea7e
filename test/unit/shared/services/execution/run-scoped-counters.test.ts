import { describe, expect, it } from 'vitest';
import { RATE_WINDOW_MS } from '../../../../../shared/sandbox/limits.ts';
import { InMemoryUsageCounters } from '../../../../../shared/sandbox/usage-counters.ts';
import { RunScopedCounters } from '../../../../../shared/services/execution/run-scoped-counters.ts';

const CPU = 't-acme/reader/cpuMs';
const DATA = 't-acme/reader/databaseQueries';
const KEYS = { cpu: CPU, dataCalls: DATA };
const limits = { cpuMsPerMinute: 1_000, timeoutMs: 5_000, databaseQueriesPerMinute: 10 };

describe('RunScopedCounters', () => {
  it('answers the CPU charges its reservation covers and gives back what they did not take', async () => {
    const store = new InMemoryUsageCounters({ now: () => 1_000 });
    const counters = new RunScopedCounters(store, KEYS);
    await counters.reserveFirstCharges(limits);

    const first = await counters.consume(CPU, 32, 1_000, RATE_WINDOW_MS);
    const second = await counters.consume(CPU, 64, 1_000, RATE_WINDOW_MS);
    const beyond = await counters.consume(CPU, 64, 1_000, RATE_WINDOW_MS);

    expect(first).toMatchObject({ allowed: true, at: 1_000 });
    expect(second).toMatchObject({ allowed: true, at: 1_000 });
    expect(beyond).toMatchObject({ allowed: true, observed: 184 });
    expect(await store.consume(CPU, 0, 1_000, RATE_WINDOW_MS)).toEqual({ allowed: true, observed: 184 });
    expect(counters.takeRefunds()).toEqual([
      { key: CPU, amount: 24, windowMs: RATE_WINDOW_MS, at: 1_000 },
      { key: DATA, amount: 4, windowMs: RATE_WINDOW_MS, at: 1_000 },
    ]);
  });

  it('answers the first data calls from their reservation and charges the store past it', async () => {
    const store = new InMemoryUsageCounters({ now: () => 1_000 });
    const counters = new RunScopedCounters(store, KEYS);
    await counters.reserveFirstCharges(limits);

    for (let call = 0; call < 3; call++) {
      expect(await counters.consume(DATA, 1, 10, RATE_WINDOW_MS)).toMatchObject({ allowed: true });
    }
    expect(await store.consume(DATA, 0, 10, RATE_WINDOW_MS)).toMatchObject({ observed: 4 });
    expect(await counters.consume(DATA, 2, 10, RATE_WINDOW_MS)).toMatchObject({ allowed: true, observed: 6 });
    expect(counters.takeRefunds()).toContainEqual({
      key: DATA,
      amount: 1,
      windowMs: RATE_WINDOW_MS,
      at: 1_000,
    });
  });

  it('reserves no data calls past the limit, so the sandbox’s own charge refuses them', async () => {
    const store = new InMemoryUsageCounters({ now: () => 1_000 });
    await store.consume(DATA, 8, 10, RATE_WINDOW_MS);
    const counters = new RunScopedCounters(store, KEYS);
    await counters.reserveFirstCharges(limits);

    expect(await counters.consume(DATA, 1, 10, RATE_WINDOW_MS)).toMatchObject({ allowed: true, observed: 9 });
    expect(await counters.consume(DATA, 2, 10, RATE_WINDOW_MS)).toMatchObject({ allowed: false });
    expect(counters.takeRefunds().map((refund) => refund.key)).toEqual([CPU]);
  });

  it('reserves at most the plugin’s own data-call limit', async () => {
    const store = new InMemoryUsageCounters({ now: () => 1_000 });
    const counters = new RunScopedCounters(store, KEYS);
    await counters.reserveFirstCharges({ ...limits, databaseQueriesPerMinute: 2 });

    expect(await store.consume(DATA, 0, 2, RATE_WINDOW_MS)).toMatchObject({ observed: 2 });
    expect(await counters.consume(DATA, 1, 2, RATE_WINDOW_MS)).toMatchObject({ allowed: true });
  });

  it('keeps CPU refunds for the run’s settlement and passes every other counter through', async () => {
    const store = new InMemoryUsageCounters({ now: () => 1_000 });
    const counters = new RunScopedCounters(store, KEYS);

    await counters.consume('t-acme/reader/databaseQueries', 1, 10, RATE_WINDOW_MS);
    await counters.release(CPU, 5, RATE_WINDOW_MS, 1_000);

    expect(await store.consume('t-acme/reader/databaseQueries', 0, 10, RATE_WINDOW_MS)).toEqual({
      allowed: true,
      observed: 1,
    });
    expect(counters.takeRefunds()).toEqual([{ key: CPU, amount: 5, windowMs: RATE_WINDOW_MS, at: 1_000 }]);
  });

  it('gives back reservations no run used', async () => {
    const counters = new RunScopedCounters(new InMemoryUsageCounters({ now: () => 1_000 }), KEYS);
    await counters.reserveFirstCharges(limits);

    expect(counters.takeRefunds()).toEqual([
      { key: CPU, amount: 120, windowMs: RATE_WINDOW_MS, at: 1_000 },
      { key: DATA, amount: 4, windowMs: RATE_WINDOW_MS, at: 1_000 },
    ]);
    expect(counters.takeRefunds()).toEqual([]);
  });

  it('reserves nothing when the store fails, so the sandbox’s own charge fails closed', async () => {
    const failing = {
      consume: async () => {
        throw new Error('ECONNREFUSED');
      },
      release: async () => undefined,
    };
    const counters = new RunScopedCounters(failing, KEYS);

    await counters.reserveFirstCharges(limits);

    await expect(counters.consume(CPU, 32, 1_000, RATE_WINDOW_MS)).rejects.toThrow('ECONNREFUSED');
    expect(counters.takeRefunds()).toEqual([]);
  });
});
