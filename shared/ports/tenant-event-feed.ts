import type { TenantEvent } from '../domain/tenant-events.ts';

/** One event in its tenant's feed: its place (1, 2, 3… per tenant, no gaps) and when it may go. */
export interface FeedItem {
  readonly seq: number;
  readonly event: TenantEvent;
  /** Epoch seconds (the store's TTL): the feed keeps an event TENANT_EVENT_RETENTION_DAYS. */
  readonly expiresAt: number;
}

/**
 * Each tenant's events feed (the audit table, the tenant's partition). Appending is conditional on
 * the head read and writes the event's marker with it, so each event id gets exactly one seq, in
 * the order the outbox consumer appends them, and two consumers cannot both take one seq.
 */
export interface TenantEventFeed {
  /** The seq of the newest item (0 when the tenant has none). */
  head(tenantId: string): Promise<number>;
  /** The seq an event was appended at, or undefined when it was not. */
  positionOf(tenantId: string, eventId: string): Promise<number | undefined>;
  /**
   * Appends `item` (at `expectedHead + 1`) with its marker; answers false, writing nothing, when the
   * head moved or the event has a marker already.
   */
  append(tenantId: string, expectedHead: number, item: FeedItem): Promise<boolean>;
  /** Up to `limit` items after `afterSeq`, in seq order, read consistently. */
  readAfter(tenantId: string, afterSeq: number, limit: number): Promise<FeedItem[]>;
}
