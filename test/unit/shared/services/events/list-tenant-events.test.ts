import { describe, expect, it } from 'vitest';
import { TenantIdSchema } from '../../../../../shared/domain/identifiers.ts';
import { feedExpiryOf, type TenantEvent } from '../../../../../shared/domain/tenant-events.ts';
import { appendTenantEvent } from '../../../../../shared/services/events/append-tenant-event.ts';
import { listTenantEvents } from '../../../../../shared/services/events/list-tenant-events.ts';
import { InMemoryTenantEventFeed } from '../../../../support/fakes/in-memory-tenant-event-feed.ts';

const now = new Date('2030-01-07T12:00:00.000Z');
const clock = { now: () => now };

const event = (
  id: string,
  name: TenantEvent['name'] = 'plugin:enabled',
  tenantId = 't-one',
): TenantEvent => ({
  id,
  name,
  time: now.toISOString(),
  tenantId: TenantIdSchema.parse(tenantId),
  detail: { pluginId: 'p' },
});

async function feedWith(events: readonly TenantEvent[]) {
  const feed = new InMemoryTenantEventFeed();
  for (const item of events) await appendTenantEvent(item, { feed, clock });
  return feed;
}

const ids = (page: { items: readonly TenantEvent[] }) => page.items.map((item) => item.id);

describe('listing the tenant events feed', () => {
  it('lists events in the order they were appended, resumable from the last seq', async () => {
    const feed = await feedWith([event('e1'), event('e2'), event('e3')]);

    const first = await listTenantEvents({ tenantId: 't-one', afterSeq: 0, limit: 2 }, { feed, clock });
    const second = await listTenantEvents(
      { tenantId: 't-one', afterSeq: first.lastSeq, limit: 2 },
      { feed, clock },
    );

    expect(ids(first)).toEqual(['e1', 'e2']);
    expect(first.lastSeq).toBe(2);
    expect(ids(second)).toEqual(['e3']);
    expect(second.lastSeq).toBe(3);
  });

  it('answers an empty page with the position it reached, so a poller resumes from it', async () => {
    const feed = await feedWith([event('e1')]);

    const page = await listTenantEvents({ tenantId: 't-one', afterSeq: 1, limit: 10 }, { feed, clock });
    const none = await listTenantEvents({ tenantId: 't-two', afterSeq: 0, limit: 10 }, { feed, clock });

    expect(page).toEqual({ items: [], lastSeq: 1 });
    expect(none).toEqual({ items: [], lastSeq: 0 });
  });

  it('filters by type and moves the position past the events it skipped', async () => {
    const feed = await feedWith([
      event('e1', 'plugin:installed'),
      event('e2', 'plugin:error'),
      event('e3', 'plugin:enabled'),
      event('e4', 'plugin:resource:exceeded'),
    ]);

    const page = await listTenantEvents(
      { tenantId: 't-one', afterSeq: 0, limit: 10, types: ['plugin:error', 'plugin:resource:exceeded'] },
      { feed, clock },
    );

    expect(ids(page)).toEqual(['e2', 'e4']);
    expect(page.lastSeq).toBe(4);
  });

  it('reads again when a Query missed an item that committed meanwhile, and returns it in its place', async () => {
    const feed = await feedWith([event('e1'), event('e2'), event('e3')]);
    feed.hiddenOnce = new Set([2]);

    const page = await listTenantEvents({ tenantId: 't-one', afterSeq: 0, limit: 10 }, { feed, clock });

    expect(ids(page)).toEqual(['e1', 'e2', 'e3']);
    expect(feed.reads).toBe(2);
  });

  it('passes over items the retention removed, and items past their expiry not yet removed', async () => {
    const feed = await feedWith([event('e1'), event('e2'), event('e3'), event('e4')]);
    feed.remove('t-one', [1, 2]);
    const expired = feed.items.get('t-one')?.find((item) => item.seq === 3);
    if (expired) Object.assign(expired, { expiresAt: Math.floor(now.getTime() / 1000) - 1 });

    const page = await listTenantEvents({ tenantId: 't-one', afterSeq: 0, limit: 10 }, { feed, clock });

    expect(ids(page)).toEqual(['e4']);
    expect(page.lastSeq).toBe(4);
  });

  it('keeps each tenant to its own feed', async () => {
    const feed = await feedWith([event('a1'), event('b1', 'plugin:enabled', 't-two'), event('a2')]);

    const page = await listTenantEvents({ tenantId: 't-two', afterSeq: 0, limit: 10 }, { feed, clock });

    expect(ids(page)).toEqual(['b1']);
  });
});

describe('appending to the feed', () => {
  it('appends an event once however often it is delivered, with its seq and retention', async () => {
    const feed = new InMemoryTenantEventFeed();

    const first = await appendTenantEvent(event('e1'), { feed, clock });
    const again = await appendTenantEvent(event('e1'), { feed, clock });

    expect(first).toEqual({ seq: 1, isNew: true });
    expect(again).toEqual({ seq: 1, isNew: false });
    expect(feed.items.get('t-one')).toEqual([{ seq: 1, event: event('e1'), expiresAt: feedExpiryOf(now) }]);
  });

  it('takes the next seq when another consumer appended first', async () => {
    const feed = new InMemoryTenantEventFeed();
    await appendTenantEvent(event('e1'), { feed, clock });
    feed.beforeAppend = async () => {
      await appendTenantEvent(event('e2'), { feed, clock });
    };

    const placed = await appendTenantEvent(event('e3'), { feed, clock });

    expect(placed).toEqual({ seq: 3, isNew: true });
    expect(feed.items.get('t-one')?.map((item) => [item.seq, item.event.id])).toEqual([
      [1, 'e1'],
      [2, 'e2'],
      [3, 'e3'],
    ]);
  });
});
