import { feedExpiryOf, type TenantEvent } from '../../domain/tenant-events.ts';
import type { Clock } from '../../ports/clock.ts';
import type { FeedItem, TenantEventFeed } from '../../ports/tenant-event-feed.ts';
import { appendOnceInSequence } from '../append-once-in-sequence.ts';

export interface TenantEventAppendDependencies {
  readonly feed: TenantEventFeed;
  readonly clock: Clock;
  /** Read-advance attempts when another consumer moves the same tenant's head first. */
  readonly feedAttempts?: number;
}

const DEFAULT_FEED_ATTEMPTS = 8;

/**
 * Appends one tenant event to its tenant's feed, exactly once per event id, at the next seq: the
 * outbox consumer calls it in stream order, so the feed's order is the tenants' commit order. A
 * redelivered event keeps its seq (`isNew` false).
 */
export async function appendTenantEvent(
  event: TenantEvent,
  deps: TenantEventAppendDependencies,
): Promise<{ readonly seq: number; readonly isNew: boolean }> {
  const placement = await appendOnceInSequence<number>(
    {
      existing: () => deps.feed.positionOf(event.tenantId, event.id),
      next: async () => {
        const head = await deps.feed.head(event.tenantId);
        const item: FeedItem = { seq: head + 1, event, expiresAt: feedExpiryOf(deps.clock.now()) };
        return { link: item.seq, advance: () => deps.feed.append(event.tenantId, head, item) };
      },
    },
    deps.feedAttempts ?? DEFAULT_FEED_ATTEMPTS,
  );
  if (placement === undefined)
    throw new Error(
      `the events feed of ${event.tenantId} kept moving; event ${event.id} is left for redelivery`,
    );
  return { seq: placement.link, isNew: placement.isNew };
}
