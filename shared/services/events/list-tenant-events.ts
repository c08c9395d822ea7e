import type { TenantEvent, TenantEventType } from '../../domain/tenant-events.ts';
import type { Clock } from '../../ports/clock.ts';
import type { FeedItem, TenantEventFeed } from '../../ports/tenant-event-feed.ts';

export interface TenantEventsQuery {
  readonly tenantId: string;
  /** The last seq the caller has seen (0: from the oldest event kept). */
  readonly afterSeq: number;
  readonly types?: readonly TenantEventType[] | undefined;
  readonly limit: number;
}

export interface TenantEventsPage {
  readonly items: readonly TenantEvent[];
  /** The last seq this page looked at (filtered-out events included): where the next page starts. */
  readonly lastSeq: number;
}

export interface TenantEventsDependencies {
  readonly feed: TenantEventFeed;
  readonly clock: Clock;
}

/** Most feed items one request reads while a type filter skips events (bounds its cost). */
const MAX_EXAMINED = 1_000;
const READ_BATCH = 100;

/**
 * Reads the next run of items after `afterSeq` that no poller can later see a lower seq appear in.
 * Seqs are dense, and seq n+1 is appended only after seq n committed, so an item seen means every
 * lower one committed before it. A gap in one Query (which is not a snapshot) is therefore either an
 * item removed by the TTL or one that committed while the Query ran; a second Query, started after
 * the first saw the higher item, sees every committed lower item still there, so below the first
 * read's top a gap is final, and above it the run stops at the first gap (the next poll reads on).
 */
async function contiguousAfter(
  feed: TenantEventFeed,
  tenantId: string,
  afterSeq: number,
  limit: number,
): Promise<FeedItem[]> {
  const first = await feed.readAfter(tenantId, afterSeq, limit);
  const top = first.at(-1)?.seq ?? afterSeq;
  const hasGap = first.some((item, index) => item.seq !== afterSeq + index + 1);
  const settled = hasGap ? await feed.readAfter(tenantId, afterSeq, limit) : first;
  const run: FeedItem[] = [];
  let previous = afterSeq;
  for (const item of settled) {
    if (item.seq > top && item.seq !== previous + 1) break;
    run.push(item);
    previous = item.seq;
  }
  return run;
}

/**
 * A page of the tenant's events feed in order: at most `limit` events of the types asked for
 * (all when none), each once, none skipped, resumable from `lastSeq`. Items past their retention
 * that the store has not removed yet are passed over as if removed.
 */
export async function listTenantEvents(
  query: TenantEventsQuery,
  deps: TenantEventsDependencies,
): Promise<TenantEventsPage> {
  const wanted = query.types === undefined || query.types.length === 0 ? undefined : new Set(query.types);
  const nowSeconds = Math.floor(deps.clock.now().getTime() / 1000);
  const items: TenantEvent[] = [];
  let lastSeq = query.afterSeq;
  let examined = 0;
  while (items.length < query.limit && examined < MAX_EXAMINED) {
    const batchLimit = wanted === undefined ? query.limit - items.length : READ_BATCH;
    const run = await contiguousAfter(deps.feed, query.tenantId, lastSeq, batchLimit);
    for (const item of run) {
      lastSeq = item.seq;
      examined += 1;
      if (item.expiresAt < nowSeconds || (wanted !== undefined && !wanted.has(item.event.name))) continue;
      items.push(item.event);
      if (items.length === query.limit) break;
    }
    if (run.length < batchLimit) break;
  }
  return { items, lastSeq };
}
