import { QueryCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { beforeAll, describe, expect, it, vi } from 'vitest';
import { DynamoDbUsageCounters } from '../../../../../shared/adapters/aws/dynamodb-usage-counters.ts';
import type { Clock } from '../../../../../shared/ports/clock.ts';
import { createTestTables } from '../../../../support/dynamodb-tables.ts';

const WINDOW_MS = 60_000;

function manualClock(startMs: number): Clock & { advance(ms: number): void } {
  let now = startMs;
  return { now: () => new Date(now), advance: (ms) => (now += ms) };
}

describe('DynamoDbUsageCounters against DynamoDB Local', () => {
  let tables: Awaited<ReturnType<typeof createTestTables>>;

  beforeAll(async () => {
    tables = await createTestTables();
  });

  function instances(count: number, clock: Clock): DynamoDbUsageCounters[] {
    return Array.from(
      { length: count },
      () =>
        new DynamoDbUsageCounters({ client: tables.documentClient, tableName: tables.names.plugins, clock }),
    );
  }

  it('never lets concurrent consumers on several instances exceed the limit', async () => {
    const clock = manualClock(Date.UTC(2030, 0, 1, 12, 0, 5));
    const counters = instances(3, clock);

    const results = await Promise.all(
      Array.from({ length: 60 }, (_, index) =>
        counters[index % 3]?.consume('t-acme/concurrent/databaseQueries', 1, 25, WINDOW_MS),
      ),
    );

    expect(results.filter((result) => result?.allowed)).toHaveLength(25);
    const peek = await counters[0]?.consume('t-acme/concurrent/databaseQueries', 0, 25, WINDOW_MS);
    expect(peek).toEqual({ allowed: true, observed: 25 });
  });

  it('reports the observed total that crossed the limit when it denies', async () => {
    const clock = manualClock(Date.UTC(2030, 0, 1, 12, 0, 5));
    const [counter] = instances(1, clock);

    await counter?.consume('t-acme/observed/networkCalls', 3, 4, WINDOW_MS);
    const denied = await counter?.consume('t-acme/observed/networkCalls', 2, 4, WINDOW_MS);

    expect(denied).toEqual({ allowed: false, observed: 5 });
  });

  it('sums the buckets of the rolling window and forgets what fell out of it', async () => {
    const clock = manualClock(Date.UTC(2030, 0, 1, 12, 0, 5));
    const [counter] = instances(1, clock);
    const key = 't-acme/rolling/databaseQueries';

    await counter?.consume(key, 4, 5, WINDOW_MS);
    clock.advance(30_000);
    const withinWindow = await counter?.consume(key, 2, 5, WINDOW_MS);
    clock.advance(31_000);
    const afterWindow = await counter?.consume(key, 2, 5, WINDOW_MS);

    expect(withinWindow?.allowed).toBe(false);
    expect(afterWindow).toMatchObject({ allowed: true, observed: 2 });
  });

  it('adds without a limit (CPU accounting) and lets a peek see the total', async () => {
    const clock = manualClock(Date.UTC(2030, 0, 1, 12, 0, 5));
    const [counter] = instances(1, clock);
    const key = 't-acme/cpu/cpuMs';

    await counter?.consume(key, 4_000.5, Number.POSITIVE_INFINITY, WINDOW_MS);
    await counter?.consume(key, 3_000, Number.POSITIVE_INFINITY, WINDOW_MS);
    const peek = await counter?.consume(key, 0, 6_000, WINDOW_MS);

    expect(peek).toEqual({ allowed: false, observed: 7_000.5 });
  });

  it('keeps tenants apart: one tenant exhausting its limit leaves another untouched', async () => {
    const clock = manualClock(Date.UTC(2030, 0, 1, 12, 0, 5));
    const [counter] = instances(1, clock);

    await counter?.consume('t-acme/shared/databaseQueries', 2, 2, WINDOW_MS);
    const other = await counter?.consume('t-globex/shared/databaseQueries', 2, 2, WINDOW_MS);

    expect(other).toMatchObject({ allowed: true, observed: 2 });
  });

  it('counts keys that name no tenant in a partition of their own', async () => {
    const [counter] = instances(1, manualClock(Date.UTC(2030, 0, 1, 12, 0, 5)));

    await counter?.consume('breaker:t-acme:plugin:error', 1, 2, WINDOW_MS);
    const second = await counter?.consume('breaker:t-acme:plugin:error', 1, 2, WINDOW_MS);
    const third = await counter?.consume('breaker:t-acme:plugin:error', 1, 2, WINDOW_MS);

    expect([second?.allowed, third?.allowed]).toEqual([true, false]);
  });

  it('gives a released reservation back to the bucket it was charged to', async () => {
    const clock = manualClock(Date.UTC(2030, 0, 1, 12, 0, 5));
    const [counter] = instances(1, clock);
    const key = 't-acme/release/cpuMs';

    const reserved = await counter?.consume(key, 30, 40, WINDOW_MS);
    await counter?.release(key, 25, WINDOW_MS, reserved?.at ?? 0);
    const again = await counter?.consume(key, 35, 40, WINDOW_MS);

    expect(reserved).toEqual({ allowed: true, observed: 30, at: Date.UTC(2030, 0, 1, 12, 0, 5) });
    expect(again).toMatchObject({ allowed: true, observed: 40 });
  });

  it('never releases below zero, and refunds into the charge bucket even from a later one', async () => {
    const clock = manualClock(Date.UTC(2030, 0, 1, 12, 0, 5));
    const [counter] = instances(1, clock);
    const key = 't-acme/refund-bucket/cpuMs';
    const reserved = await counter?.consume(key, 30, 100, WINDOW_MS);
    clock.advance(10_000);
    await counter?.consume(key, 20, 100, WINDOW_MS);

    await counter?.release(key, 500, WINDOW_MS, reserved?.at ?? 0);
    await counter?.release(key, 30, WINDOW_MS, reserved?.at ?? 0);
    const peek = await counter?.consume(key, 0, 100, WINDOW_MS);

    expect(peek).toEqual({ allowed: true, observed: 20 });
  });

  it('ignores a release whose charge has left the window', async () => {
    const clock = manualClock(Date.UTC(2030, 0, 1, 12, 0, 5));
    const [counter] = instances(1, clock);
    const key = 't-acme/refund-expired/cpuMs';
    const reserved = await counter?.consume(key, 30, 100, WINDOW_MS);
    clock.advance(WINDOW_MS + 10_000);
    await counter?.consume(key, 20, 100, WINDOW_MS);

    await counter?.release(key, 30, WINDOW_MS, reserved?.at ?? 0);
    const peek = await counter?.consume(key, 0, 100, WINDOW_MS);

    expect(peek).toEqual({ allowed: true, observed: 20 });
  });

  it('keeps concurrent reservations with refunds on several instances within the limit', async () => {
    const clock = manualClock(Date.UTC(2030, 0, 1, 12, 0, 5));
    const counters = instances(3, clock);
    const key = 't-acme/leases/cpuMs';

    const used = await Promise.all(
      Array.from({ length: 30 }, async (_, index) => {
        const counter = counters[index % 3];
        const reserved = await counter?.consume(key, 10, 100, WINDOW_MS);
        if (!reserved?.allowed) return 0;
        await counter?.release(key, 6, WINDOW_MS, reserved.at ?? 0);
        return 4;
      }),
    );
    const peek = await counters[0]?.consume(key, 0, 100, WINDOW_MS);

    const total = used.reduce<number>((sum, amount) => sum + amount, 0);
    expect(total).toBeGreaterThanOrEqual(40);
    expect(peek?.observed).toBe(total);
    expect(peek?.observed).toBeLessThanOrEqual(100);
  });

  it('charges with one conditional update while the current bucket is the one it read', async () => {
    const clock = manualClock(Date.UTC(2030, 0, 1, 12, 0, 1));
    const [counter] = instances(1, clock);
    const key = 't-acme/remembered/databaseQueries';
    await counter?.consume(key, 1, 10, WINDOW_MS);
    clock.advance(10_000);
    await counter?.consume(key, 1, 10, WINDOW_MS);
    const send = vi.spyOn(tables.documentClient, 'send');

    const again = await counter?.consume(key, 1, 10, WINDOW_MS);
    const commands = send.mock.calls.map(([command]) => command.constructor.name);
    send.mockRestore();

    expect(again).toMatchObject({ allowed: true, observed: 3 });
    expect(commands).toEqual([UpdateCommand.name]);
    expect(commands).not.toContain(QueryCommand.name);
  });

  it('keeps the limit with remembered buckets while another instance charges the same window', async () => {
    const clock = manualClock(Date.UTC(2030, 0, 1, 12, 0, 1));
    const [first, second] = instances(2, clock);
    const key = 't-acme/two-instances/databaseQueries';
    await first?.consume(key, 3, 6, WINDOW_MS);
    clock.advance(10_000);
    await first?.consume(key, 1, 6, WINDOW_MS);

    await second?.consume(key, 2, 6, WINDOW_MS);
    const overLimit = await first?.consume(key, 1, 6, WINDOW_MS);

    expect(overLimit).toEqual({ allowed: false, observed: 7 });
  });
});
