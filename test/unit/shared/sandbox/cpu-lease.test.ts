import { describe, expect, it } from 'vitest';
import { CpuLease, FIRST_CPU_CHUNK_MS } from '../../../../shared/sandbox/cpu-lease.ts';
import { StoreLatency } from '../../../../shared/sandbox/store-latency.ts';
import type { ConsumeResult, UsageCounters } from '../../../../shared/sandbox/usage-counters.ts';

type Answer = (amount: number) => ConsumeResult | Promise<ConsumeResult>;

/** A counter whose every consume is answered by the next scripted answer; it records each call. */
function scriptedCounters(...answers: Answer[]) {
  const consumed: { amount: number; limit: number }[] = [];
  const released: { amount: number; at: number }[] = [];
  const counters: UsageCounters = {
    consume: async (_key, amount, limit) => {
      consumed.push({ amount, limit });
      const answer = answers.shift();
      if (!answer) throw new Error('unexpected consume');
      return answer(amount);
    },
    release: async (_key, amount, _windowMs, at) => {
      released.push({ amount, at });
    },
  };
  return { counters, consumed, released };
}

const grant =
  (at: number): Answer =>
  (amount) => ({ allowed: true, observed: amount, at });
const deny =
  (totalBefore: number): Answer =>
  (amount) => ({ allowed: false, observed: totalBefore + amount });
const fail: Answer = () => Promise.reject(new Error('store unreachable'));
const never: Answer = () => new Promise<ConsumeResult>(() => {});

function acquire(counters: UsageCounters, limitMs = 1_000, maxUseMs = 5_020, latency = new StoreLatency()) {
  return CpuLease.acquire({ counters, key: 't/p/cpuMs', limitMs, windowMs: 60_000, maxUseMs, latency });
}

async function leaseFrom(
  counters: UsageCounters,
  limitMs = 1_000,
  maxUseMs = 5_020,
  latency = new StoreLatency(),
): Promise<CpuLease> {
  const start = await acquire(counters, limitMs, maxUseMs, latency);
  if (!start.ok) throw new Error('lease refused');
  return start.lease;
}

const noop = () => {};
const settled = () => new Promise((resolve) => setImmediate(resolve));

describe('CpuLease', () => {
  it('reserves one small first chunk against the budget before the run starts', async () => {
    const { counters, consumed } = scriptedCounters(grant(1));

    const lease = await leaseFrom(counters);

    expect(consumed).toEqual([{ amount: FIRST_CPU_CHUNK_MS, limit: 1_000 }]);
    expect(lease.heldMs).toBe(FIRST_CPU_CHUNK_MS);
  });

  it('asks a store that has been slow for a first chunk that lasts until the next one is back', async () => {
    const { counters, consumed } = scriptedCounters(grant(1));
    const latency = new StoreLatency();
    latency.record(100);

    const start = await acquire(counters, 10_000, 5_020, latency);

    expect(start.ok).toBe(true);
    expect(consumed[0]?.amount).toBeGreaterThanOrEqual(2 * 100);
  });

  it('asks for the next chunk at once when the first reservation showed a slow store', async () => {
    const latency = new StoreLatency();
    const slowFirst: Answer = (amount) => {
      latency.record(50);
      return { allowed: true, observed: amount, at: 1 };
    };
    const { counters, consumed } = scriptedCounters(slowFirst, grant(2));

    const lease = await leaseFrom(counters, 10_000, 5_020, latency);
    await settled();

    expect(consumed).toHaveLength(2);
    expect(consumed[1]?.amount).toBeGreaterThan(2 * 40);
    expect(lease.heldMs).toBe(FIRST_CPU_CHUNK_MS + (consumed[1]?.amount ?? 0));
  });

  it('reserves what is left of the budget when less than a chunk remains', async () => {
    const { counters, consumed } = scriptedCounters(deny(990), grant(1));

    const lease = await leaseFrom(counters);

    expect(consumed.map((call) => call.amount)).toEqual([FIRST_CPU_CHUNK_MS, 10]);
    expect(lease.heldMs).toBe(10);
  });

  it('refuses the run before it starts when nothing is left', async () => {
    const { counters } = scriptedCounters(deny(1_000));

    const start = await acquire(counters);

    expect(start).toEqual({ ok: false, reason: 'exhausted', observed: 1_000 + FIRST_CPU_CHUNK_MS });
  });

  it('fails closed: a counter store that cannot be reached refuses the run', async () => {
    const { counters } = scriptedCounters(fail);

    const start = await acquire(counters);

    expect(start).toEqual({ ok: false, reason: 'unavailable' });
  });

  it('asks for a doubled chunk ahead of need and lets the run use it once granted', async () => {
    const { counters, consumed } = scriptedCounters(grant(1), grant(2));
    const lease = await leaseFrom(counters);

    expect(lease.allows(10, noop)).toBe(true);
    await settled();

    expect(consumed.map((call) => call.amount)).toEqual([FIRST_CPU_CHUNK_MS, 2 * FIRST_CPU_CHUNK_MS]);
    expect(lease.heldMs).toBe(3 * FIRST_CPU_CHUNK_MS);
    expect(lease.allows(FIRST_CPU_CHUNK_MS + 1, noop)).toBe(true);
  });

  it('stops a run that passes its holding while the next reservation is still pending', async () => {
    const { counters } = scriptedCounters(grant(1), never);
    const lease = await leaseFrom(counters);

    const early = lease.allows(10, noop);
    const passed = lease.allows(FIRST_CPU_CHUNK_MS + 0.5, noop);

    expect(early).toBe(true);
    expect(passed).toBe(false);
  });

  it('reserves the overshoot with the next chunk when a late sample finds the holding passed', async () => {
    const { counters, consumed } = scriptedCounters(grant(1), grant(2));
    const lease = await leaseFrom(counters);

    const late = lease.allows(FIRST_CPU_CHUNK_MS + 12, noop);
    await settled();

    expect(late).toBe(true);
    expect(consumed.at(-1)?.amount).toBe(12 + 2 * FIRST_CPU_CHUNK_MS);
    expect(lease.allows(FIRST_CPU_CHUNK_MS + 20, noop)).toBe(true);
  });

  it('stops a run past its holding as soon as the overshoot cannot be reserved', async () => {
    const { counters } = scriptedCounters(grant(1), deny(1_000));
    const lease = await leaseFrom(counters);
    let used = FIRST_CPU_CHUNK_MS + 12;
    const verdicts: boolean[] = [];
    const recheck = () => {
      used += 0.5;
      verdicts.push(lease.allows(used, recheck));
    };

    verdicts.push(lease.allows(used, recheck));
    await settled();

    expect(verdicts).toEqual([true, false]);
  });

  it('asks for nothing more once it was granted only what was left of the budget', async () => {
    const { counters, consumed } = scriptedCounters(deny(990), grant(1));
    const lease = await leaseFrom(counters);

    lease.allows(5, noop);
    await settled();

    expect(consumed).toHaveLength(2);
    expect(lease.allows(10.5, noop)).toBe(false);
  });

  it('reserves no more than the run can use before its timeout, and leaves the rest to the timeout', async () => {
    const { counters, consumed } = scriptedCounters(grant(1), grant(2));
    const lease = await leaseFrom(counters, 1_000, 70);

    lease.allows(10, noop);
    await settled();
    const late = lease.allows(85, noop);

    expect(consumed.map((call) => call.amount)).toEqual([FIRST_CPU_CHUNK_MS, 70 - FIRST_CPU_CHUNK_MS]);
    expect(late).toBe(true);
    expect(consumed).toHaveLength(2);
  });

  it('stops the run once it passes its holding when a reservation is refused mid-run', async () => {
    const { counters, consumed } = scriptedCounters(grant(1), deny(1_000));
    const lease = await leaseFrom(counters);

    lease.allows(10, noop);
    await settled();
    const within = lease.allows(20, noop);
    const beyond = lease.allows(FIRST_CPU_CHUNK_MS + 0.5, noop);

    expect(within).toBe(true);
    expect(beyond).toBe(false);
    expect(consumed).toHaveLength(2);
  });

  it('keeps only what it holds when the store fails mid-run', async () => {
    const { counters, consumed } = scriptedCounters(grant(1), fail);
    const lease = await leaseFrom(counters);

    lease.allows(10, noop);
    await settled();
    lease.allows(20, noop);

    expect(lease.heldMs).toBe(FIRST_CPU_CHUNK_MS);
    expect(lease.allows(FIRST_CPU_CHUNK_MS + 0.5, noop)).toBe(false);
    expect(consumed).toHaveLength(2);
  });

  it('refunds the unused part of its reservation to the chunks it came from, newest first', async () => {
    const { counters, released } = scriptedCounters(grant(111), grant(222));
    const lease = await leaseFrom(counters);
    lease.allows(10, noop);
    await settled();

    await lease.settle(20);

    expect(released).toEqual([
      { amount: 2 * FIRST_CPU_CHUNK_MS, at: 222 },
      { amount: FIRST_CPU_CHUNK_MS - 20, at: 111 },
    ]);
  });

  it('keeps the holding of a run it stopped, so the spent budget stays spent', async () => {
    const { counters, released } = scriptedCounters(grant(1), deny(1_000));
    const lease = await leaseFrom(counters);
    lease.allows(10, noop);
    await settled();
    lease.allows(FIRST_CPU_CHUNK_MS + 0.5, noop);

    await lease.settle(FIRST_CPU_CHUNK_MS - 8);

    expect(released).toEqual([]);
  });

  it('refunds a short run with one release, after one reservation', async () => {
    const { counters, consumed, released } = scriptedCounters(grant(5));
    const lease = await leaseFrom(counters);

    await lease.settle(1.5);

    expect(consumed).toHaveLength(1);
    expect(released).toEqual([{ amount: FIRST_CPU_CHUNK_MS - 1.5, at: 5 }]);
  });

  it('charges what a run used beyond its holding, so the counter shows the truth', async () => {
    const { counters, consumed, released } = scriptedCounters(grant(1), grant(2));
    const lease = await leaseFrom(counters, 1_000);

    await lease.settle(FIRST_CPU_CHUNK_MS + 4);

    expect(released).toEqual([]);
    expect(consumed.at(-1)).toEqual({ amount: 4, limit: Number.POSITIVE_INFINITY });
  });

  it('answers the overshoot it could not charge, so the next run can be held until it is', async () => {
    const { counters } = scriptedCounters(grant(1), fail);
    const lease = await leaseFrom(counters, 1_000);

    const unsettled = await lease.settle(FIRST_CPU_CHUNK_MS + 4);

    expect(unsettled).toMatchObject({
      charge: { key: 't/p/cpuMs', amount: 4, windowMs: 60_000 },
      error: expect.any(Error),
    });
  });

  it('answers a probe, not a second refund, when a refund failed', async () => {
    const { counters } = scriptedCounters(grant(5));
    const failing: UsageCounters = { ...counters, release: () => Promise.reject(new Error('down')) };
    const lease = await leaseFrom(failing);

    const unsettled = await lease.settle(1.5);

    expect(unsettled).toMatchObject({ charge: { key: 't/p/cpuMs', amount: 0 } });
  });

  it('answers nothing when the store took the settlement', async () => {
    const { counters } = scriptedCounters(grant(5));
    const lease = await leaseFrom(counters);

    await expect(lease.settle(1.5)).resolves.toBeUndefined();
  });
});
