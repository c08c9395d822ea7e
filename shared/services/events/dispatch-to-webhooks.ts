import type { TenantEvent } from '../../domain/tenant-events.ts';
import type { WebhookDeliveryMessage } from '../../domain/webhook-delivery.ts';
import type { Clock } from '../../ports/clock.ts';
import type { WebhookDeliveryQueue } from '../../ports/webhook-delivery-queue.ts';
import type { WebhookRepository } from '../../ports/webhook-repository.ts';

export interface WebhookDispatchDependencies {
  readonly webhooks: WebhookRepository;
  readonly queue: WebhookDeliveryQueue;
  readonly clock: Clock;
}

/**
 * Queues the first attempt of every delivery the events call for: each event to each of its
 * tenant's webhooks that subscribes to its type, one message each (a tenant's webhooks are read
 * once per batch). Events arrive in feed order, so first attempts are queued in that order too.
 */
export async function dispatchToWebhooks(
  events: readonly TenantEvent[],
  deps: WebhookDispatchDependencies,
): Promise<number> {
  const dueAt = deps.clock.now().toISOString();
  const byTenant = new Map<string, Awaited<ReturnType<WebhookRepository['list']>>>();
  const messages: WebhookDeliveryMessage[] = [];
  for (const event of events) {
    let webhooks = byTenant.get(event.tenantId);
    if (webhooks === undefined) {
      webhooks = await deps.webhooks.list(event.tenantId);
      byTenant.set(event.tenantId, webhooks);
    }
    for (const webhook of webhooks)
      if (webhook.eventTypes.includes(event.name))
        messages.push({ tenantId: event.tenantId, webhookId: webhook.id, event, attempt: 1, dueAt });
  }
  if (messages.length > 0) await deps.queue.enqueue(messages);
  return messages.length;
}
