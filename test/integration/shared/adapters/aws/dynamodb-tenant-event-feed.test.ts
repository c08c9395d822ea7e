import { GetCommand } from '@aws-sdk/lib-dynamodb';
import { beforeAll, describe, expect, it } from 'vitest';
import {
  DynamoDbTenantEventFeed,
  feedItemSortKey,
  feedMarkerSortKey,
} from '../../../../../shared/adapters/aws/dynamodb-tenant-event-feed.ts';
import { TenantIdSchema } from '../../../../../shared/domain/identifiers.ts';
import { feedExpiryOf, type TenantEvent } from '../../../../../shared/domain/tenant-events.ts';
import { appendTenantEvent } from '../../../../../shared/services/events/append-tenant-event.ts';
import { listTenantEvents } from '../../../../../shared/services/events/list-tenant-events.ts';
import { createTestTables } from '../../../../support/dynamodb-tables.ts';

const NOW = new Date(Date.UTC(2030, 0, 7, 12));
const clock = { now: () => NOW };

const event = (tenantId: string, id: string): TenantEvent => ({
  id,
  name: 'plugin:enabled',
  time: NOW.toISOString(),
  tenantId: TenantIdSchema.parse(tenantId),
  detail: { pluginId: 'p' },
});

describe('the tenant events feed against DynamoDB Local', () => {
  let tables: Awaited<ReturnType<typeof createTestTables>>;
  let feed: DynamoDbTenantEventFeed;

  beforeAll(async () => {
    tables = await createTestTables();
    feed = new DynamoDbTenantEventFeed(tables.documentClient, tables.names.audit);
  });

  it('gives a poller following the cursor every event exactly once, in order, while consumers append concurrently', async () => {
    const tenantId = 't-concurrent';
    const consumers = ['a', 'b', 'c'].map((name) =>
      Array.from({ length: 12 }, (_, index) => event(tenantId, `${name}-${index}`)),
    );
    const total = consumers.flat().length;
    const seen: string[] = [];
    let afterSeq = 0;
    const poll = async () => {
      while (seen.length < total) {
        const page = await listTenantEvents({ tenantId, afterSeq, limit: 5 }, { feed, clock });
        seen.push(...page.items.map((item) => item.id));
        afterSeq = page.lastSeq;
      }
    };

    await Promise.all([
      poll(),
      ...consumers.map(async (events) => {
        for (const item of events) await appendTenantEvent(item, { feed, clock, feedAttempts: 50 });
      }),
    ]);

    const stored = await feed.readAfter(tenantId, 0, 100);
    expect(stored.map((item) => item.seq)).toEqual(Array.from({ length: total }, (_, index) => index + 1));
    expect(seen).toEqual(stored.map((item) => item.event.id));
    expect(new Set(seen).size).toBe(total);
    // Each consumer's own events keep their order (a shard's commit order).
    for (const events of consumers)
      expect(seen.filter((id) => id.startsWith(events[0]?.id.slice(0, 2) ?? '?'))).toEqual(
        events.map((item) => item.id),
      );
  });

  it('appends nothing twice when a batch is delivered again', async () => {
    const tenantId = 't-redelivered';
    const batch = [event(tenantId, 'r-1'), event(tenantId, 'r-2')];

    const first = await Promise.all(batch.map((item) => appendTenantEvent(item, { feed, clock })));
    const again = [];
    for (const item of batch) again.push(await appendTenantEvent(item, { feed, clock }));

    expect(again.map(({ seq, isNew }) => [seq, isNew]).sort()).toEqual(
      first.map(({ seq }) => [seq, false]).sort(),
    );
    expect((await feed.readAfter(tenantId, 0, 10)).map((item) => item.event.id).sort()).toEqual([
      'r-1',
      'r-2',
    ]);
    expect(await feed.head(tenantId)).toBe(2);
  });

  it('sets the retention TTL on the item and the marker', async () => {
    const tenantId = 't-retention';
    await appendTenantEvent(event(tenantId, 'ttl-1'), { feed, clock });

    const read = (SK: string) =>
      tables.documentClient.send(
        new GetCommand({ TableName: tables.names.audit, Key: { PK: `TENANT#${tenantId}`, SK } }),
      );
    const item = (await read(feedItemSortKey(1))).Item;
    const marker = (await read(feedMarkerSortKey('ttl-1'))).Item;

    expect(item?.expiresAt).toBe(feedExpiryOf(NOW));
    expect(marker?.expiresAt).toBe(feedExpiryOf(NOW));
    expect(feedExpiryOf(NOW) - NOW.getTime() / 1000).toBeGreaterThanOrEqual(14 * 86_400);
  });
});
