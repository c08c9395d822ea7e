import { describe, expect, it } from 'vitest';
import { InMemoryUsageCounters } from '../../../../shared/sandbox/usage-counters.ts';

describe('InMemoryUsageCounters', () => {
  it('allows consumption up to the limit within the window and denies beyond it', async () => {
    const counters = new InMemoryUsageCounters({ now: () => 1_000 });

    const results = [];
    for (let index = 0; index < 4; index++) results.push(await counters.consume('k', 1, 3, 60_000));

    expect(results).toEqual([
      { allowed: true, observed: 1 },
      { allowed: true, observed: 2 },
      { allowed: true, observed: 3 },
      { allowed: false, observed: 4 },
    ]);
  });

  it('forgets consumption older than the window', async () => {
    let now = 0;
    const counters = new InMemoryUsageCounters({ now: () => now });
    await counters.consume('k', 3, 3, 60_000);

    now = 61_000;
    const result = await counters.consume('k', 1, 3, 60_000);

    expect(result).toEqual({ allowed: true, observed: 1 });
  });

  it('keeps keys apart', async () => {
    const counters = new InMemoryUsageCounters({ now: () => 0 });
    await counters.consume('tenant-a/plugin/databaseQueries', 5, 5, 60_000);

    const result = await counters.consume('tenant-b/plugin/databaseQueries', 1, 5, 60_000);

    expect(result).toEqual({ allowed: true, observed: 1 });
  });

  it('reports the total without consuming when asked for zero', async () => {
    const counters = new InMemoryUsageCounters({ now: () => 0 });
    await counters.consume('cpu', 70, Number.POSITIVE_INFINITY, 60_000);

    const probe = await counters.consume('cpu', 0, 50, 60_000);

    expect(probe.observed).toBe(70);
  });
});
