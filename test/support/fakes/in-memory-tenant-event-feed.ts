import type { FeedItem, TenantEventFeed } from '../../../shared/ports/tenant-event-feed.ts';

/**
 * Each tenant's feed in memory, with the adapter's conditions: an item is appended only at the
 * head named, an event id once. `beforeAppend` runs just before the condition is checked (a test's
 * other consumer appending first); `hidden` seqs are left out of reads (an item a Query missed).
 */
export class InMemoryTenantEventFeed implements TenantEventFeed {
  readonly heads = new Map<string, number>();
  readonly markers = new Map<string, number>();
  readonly items = new Map<string, FeedItem[]>();
  beforeAppend: ((tenantId: string) => Promise<void>) | undefined;
  hiddenOnce = new Set<number>();
  reads = 0;

  async head(tenantId: string): Promise<number> {
    return this.heads.get(tenantId) ?? 0;
  }

  async positionOf(tenantId: string, eventId: string): Promise<number | undefined> {
    return this.markers.get(`${tenantId}/${eventId}`);
  }

  async append(tenantId: string, expectedHead: number, item: FeedItem): Promise<boolean> {
    const hook = this.beforeAppend;
    this.beforeAppend = undefined;
    if (hook) await hook(tenantId);
    const markerKey = `${tenantId}/${item.event.id}`;
    if ((this.heads.get(tenantId) ?? 0) !== expectedHead || this.markers.has(markerKey)) return false;
    this.heads.set(tenantId, item.seq);
    this.markers.set(markerKey, item.seq);
    this.items.set(tenantId, [...(this.items.get(tenantId) ?? []), item]);
    return true;
  }

  async readAfter(tenantId: string, afterSeq: number, limit: number): Promise<FeedItem[]> {
    this.reads += 1;
    const hidden = this.hiddenOnce;
    this.hiddenOnce = new Set();
    return (this.items.get(tenantId) ?? [])
      .filter((item) => item.seq > afterSeq && !hidden.has(item.seq))
      .slice(0, limit);
  }

  /** Removes items as the store's TTL would. */
  remove(tenantId: string, seqs: readonly number[]): void {
    this.items.set(
      tenantId,
      (this.items.get(tenantId) ?? []).filter((item) => !seqs.includes(item.seq)),
    );
  }
}
