import { describe, expect, it } from 'vitest';
import { InMemoryUsageCounters } from '../../../../shared/sandbox/usage-counters.ts';

describe('InMemoryUsageCounters', () => {
  it('allows consumption up to the limit within the window and denies beyond it', async () => {
    const counters = new InMemoryUsageCounters({ now: () => 1_000 });

    const results = [];
    for (let index = 0; index < 4; index++) results.push(await counters.consume('k', 1, 3, 60_000));

    expect(results).toEqual([
      { allowed: true, observed: 1, at: 1_000 },
      { allowed: true, observed: 2, at: 1_000 },
      { allowed: true, observed: 3, at: 1_000 },
      { allowed: false, observed: 4 },
    ]);
  });

  it('forgets consumption older than the window', async () => {
    let now = 0;
    const counters = new InMemoryUsageCounters({ now: () => now });
    await counters.consume('k', 3, 3, 60_000);

    now = 61_000;
    const result = await counters.consume('k', 1, 3, 60_000);

    expect(result).toEqual({ allowed: true, observed: 1, at: 61_000 });
  });

  it('keeps keys apart', async () => {
    const counters = new InMemoryUsageCounters({ now: () => 0 });
    await counters.consume('tenant-a/plugin/databaseQueries', 5, 5, 60_000);

    const result = await counters.consume('tenant-b/plugin/databaseQueries', 1, 5, 60_000);

    expect(result).toEqual({ allowed: true, observed: 1, at: 0 });
  });

  it('reports the total without consuming when asked for zero', async () => {
    const counters = new InMemoryUsageCounters({ now: () => 0 });
    await counters.consume('cpu', 70, Number.POSITIVE_INFINITY, 60_000);

    const probe = await counters.consume('cpu', 0, 50, 60_000);

    expect(probe.observed).toBe(70);
  });

  it('gives back a released amount, so it can be consumed again', async () => {
    const counters = new InMemoryUsageCounters({ now: () => 5_000 });
    const reserved = await counters.consume('cpu', 30, 40, 60_000);

    await counters.release('cpu', 25, 60_000, reserved.at ?? 0);
    const again = await counters.consume('cpu', 35, 40, 60_000);

    expect(again).toMatchObject({ allowed: true, observed: 40 });
  });

  it('never releases below zero', async () => {
    const counters = new InMemoryUsageCounters({ now: () => 5_000 });
    const reserved = await counters.consume('cpu', 10, 100, 60_000);

    await counters.release('cpu', 50, 60_000, reserved.at ?? 0);
    const probe = await counters.consume('cpu', 0, 100, 60_000);

    expect(probe.observed).toBe(0);
  });

  it('releases into the slice the charge went to, so a refund never outlives its charge', async () => {
    let now = 500;
    const counters = new InMemoryUsageCounters({ now: () => now });
    const reserved = await counters.consume('cpu', 30, 100, 60_000);
    now = 1_500;
    await counters.consume('cpu', 20, 100, 60_000);

    await counters.release('cpu', 30, 60_000, reserved.at ?? 0);
    now = 60_800;
    const probe = await counters.consume('cpu', 0, 100, 60_000);

    expect(probe.observed).toBe(20);
  });

  it('ignores a release whose charge has left the window', async () => {
    let now = 500;
    const counters = new InMemoryUsageCounters({ now: () => now });
    const reserved = await counters.consume('cpu', 30, 100, 60_000);
    now = 61_000;
    await counters.consume('cpu', 20, 100, 60_000);

    await counters.release('cpu', 30, 60_000, reserved.at ?? 0);
    const probe = await counters.consume('cpu', 0, 100, 60_000);

    expect(probe.observed).toBe(20);
  });
});
