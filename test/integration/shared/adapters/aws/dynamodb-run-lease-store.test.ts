import { GetCommand } from '@aws-sdk/lib-dynamodb';
import { beforeAll, describe, expect, it } from 'vitest';
import { DynamoDbRunLeaseStore } from '../../../../../shared/adapters/aws/dynamodb-run-lease-store.ts';
import type { Clock } from '../../../../../shared/ports/clock.ts';
import type { RunLeaseRequest } from '../../../../../shared/ports/run-lease-store.ts';
import { createTestTables } from '../../../../support/dynamodb-tables.ts';

function manualClock(startMs: number): Clock & { advance(ms: number): void } {
  let now = startMs;
  return { now: () => new Date(now), advance: (ms) => (now += ms) };
}

const leaseFor = (tenantId: string, capacity: number, holder = 'req'): RunLeaseRequest => ({
  tenantId,
  capacity,
  leaseMs: 15_000,
  expectedRunMs: 5_000,
  holder,
});

describe('DynamoDbRunLeaseStore against DynamoDB Local', () => {
  let tables: Awaited<ReturnType<typeof createTestTables>>;

  beforeAll(async () => {
    tables = await createTestTables();
  });

  const stores = (count: number, clock: Clock) =>
    Array.from(
      { length: count },
      () =>
        new DynamoDbRunLeaseStore({ client: tables.documentClient, tableName: tables.names.plugins, clock }),
    );

  it('never lets concurrent acquirers on several instances hold more than the cap', async () => {
    const clock = manualClock(Date.UTC(2030, 0, 1, 12));
    const instances = stores(3, clock);

    const claims = await Promise.all(
      Array.from({ length: 24 }, (_, index) =>
        instances[index % 3]?.acquire(leaseFor('t-flood', 4, `req-${index}`)),
      ),
    );

    const acquired = claims.filter((claim) => claim?.status === 'acquired');
    expect(acquired).toHaveLength(4);
    const slots = acquired.map((claim) => (claim?.status === 'acquired' ? claim.lease.slot : -1));
    expect(new Set(slots)).toEqual(new Set([0, 1, 2, 3]));
    expect(claims.find((claim) => claim?.status === 'full')).toMatchObject({
      status: 'full',
      held: 4,
      retryAfterMs: 5_000,
    });
  });

  it('keeps tenants apart: one tenant at its cap does not take another tenant’s slots', async () => {
    const clock = manualClock(Date.UTC(2030, 0, 1, 12));
    const [store] = stores(1, clock);

    await store?.acquire(leaseFor('t-busy', 1));
    const busy = await store?.acquire(leaseFor('t-busy', 1));
    const quiet = await store?.acquire(leaseFor('t-quiet', 1));

    expect(busy?.status).toBe('full');
    expect(quiet?.status).toBe('acquired');
  });

  it('frees a slot on release, and ignores a late release of a lease taken over after expiry', async () => {
    const clock = manualClock(Date.UTC(2030, 0, 1, 12));
    const [store] = stores(1, clock);
    const first = await store?.acquire(leaseFor('t-release', 1, 'first'));
    if (first?.status !== 'acquired') throw new Error('expected a lease');

    clock.advance(15_001);
    const takeover = await store?.acquire(leaseFor('t-release', 1, 'takeover'));
    await store?.release(first.lease);
    const whileTakenOver = await store?.acquire(leaseFor('t-release', 1, 'third'));
    if (takeover?.status !== 'acquired') throw new Error('expected the expired slot to be reclaimed');
    await store?.release(takeover.lease);
    const afterRelease = await store?.acquire(leaseFor('t-release', 1, 'fourth'));

    expect(takeover.lease.slot).toBe(first.lease.slot);
    expect(whileTakenOver?.status).toBe('full');
    expect(afterRelease?.status).toBe('acquired');
  });

  it('stores ids and times only, with a TTL past the lease', async () => {
    const clock = manualClock(Date.UTC(2030, 0, 1, 12));
    const [store] = stores(1, clock);

    const claim = await store?.acquire(leaseFor('t-item', 2, 'req-item'));
    if (claim?.status !== 'acquired') throw new Error('expected a lease');
    const { Item } = await tables.documentClient.send(
      new GetCommand({
        TableName: tables.names.plugins,
        Key: { PK: 'TENANT#t-item', SK: `RUNSLOT#00${claim.lease.slot}` },
      }),
    );

    expect(Object.keys(Item ?? {}).sort()).toEqual(
      ['PK', 'SK', 'expectedEndAt', 'expiresAt', 'holder', 'leaseToken', 'leaseUntil'].sort(),
    );
    expect(Item?.holder).toBe('req-item');
    expect(Item?.expiresAt).toBeGreaterThan(Math.ceil((Date.UTC(2030, 0, 1, 12) + 15_000) / 1000));
  });

  it('counts live leases above a lowered cap, so a lower cap takes effect as those runs end', async () => {
    const clock = manualClock(Date.UTC(2030, 0, 1, 12));
    const [store] = stores(1, clock);
    for (let index = 0; index < 3; index++) await store?.acquire(leaseFor('t-lowered', 3));

    const lowered = await store?.acquire(leaseFor('t-lowered', 2));

    expect(lowered).toMatchObject({ status: 'full', held: 3 });
  });

  it('rejects when the table cannot be reached, so the caller refuses the run', async () => {
    const clock = manualClock(Date.UTC(2030, 0, 1, 12));
    const missing = new DynamoDbRunLeaseStore({
      client: tables.documentClient,
      tableName: 'no-such-table',
      clock,
    });

    await expect(missing.acquire(leaseFor('t-any', 1))).rejects.toThrow();
  });
});
