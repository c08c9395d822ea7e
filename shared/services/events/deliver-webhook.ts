import {
  nextAttemptAt,
  outcomeOf,
  type WebhookDeliveryMessage,
  type WebhookDeliveryStatus,
} from '../../domain/webhook-delivery.ts';
import type { Clock } from '../../ports/clock.ts';
import type { WebhookDeliveryQueue } from '../../ports/webhook-delivery-queue.ts';
import type { WebhookDelivery, WebhookRepository } from '../../ports/webhook-repository.ts';
import type { WebhookSecretSealer } from '../../ports/webhook-secret-sealer.ts';
import type { WebhookSender } from '../../ports/webhook-sender.ts';

export interface WebhookDeliveryDependencies {
  readonly webhooks: WebhookRepository;
  readonly sealer: WebhookSecretSealer;
  readonly sender: WebhookSender;
  readonly queue: WebhookDeliveryQueue;
  readonly clock: Clock;
}

export type WebhookDeliveryResult = WebhookDeliveryStatus | 'not-due' | 'dropped';

/**
 * One attempt of one delivery. A message not yet due goes back to the queue (a queue's delay is
 * bounded: SQS waits at most 15 minutes a time). A webhook removed meanwhile, or no longer
 * subscribed to the event's type, gets nothing more: in-flight retries stop. Otherwise the event
 * is sent signed, the outcome recorded as the webhook's last delivery, and a retryable failure
 * queued again for its backoff.
 */
export async function deliverWebhook(
  message: WebhookDeliveryMessage,
  deps: WebhookDeliveryDependencies,
): Promise<WebhookDeliveryResult> {
  const now = deps.clock.now();
  if (Date.parse(message.dueAt) > now.getTime()) {
    await deps.queue.enqueue([message]);
    return 'not-due';
  }
  const webhook = await deps.webhooks.get(message.tenantId, message.webhookId);
  if (!webhook?.eventTypes.includes(message.event.name)) return 'dropped';
  const secret = await deps.sealer.open(webhook.sealedSecret, {
    tenantId: message.tenantId,
    webhookId: message.webhookId,
  });
  const result = await deps.sender.send({
    url: webhook.url,
    secret,
    messageId: message.event.id,
    timestamp: now,
    payload: JSON.stringify(message.event),
  });
  const status = outcomeOf(result, message.attempt);
  const next = status === 'retrying' ? nextAttemptAt(message.attempt, deps.clock.now()) : undefined;
  const delivery: WebhookDelivery = {
    eventId: message.event.id,
    eventName: message.event.name,
    status,
    attempts: message.attempt,
    attemptedAt: now.toISOString(),
    ...(result.kind === 'answered' ? { httpStatus: result.status } : { errorCode: result.code }),
    ...(next === undefined ? {} : { nextAttemptAt: next.toISOString() }),
  };
  const isStillRegistered = await deps.webhooks.recordDelivery(message.tenantId, message.webhookId, delivery);
  if (next !== undefined && isStillRegistered)
    await deps.queue.enqueue([{ ...message, attempt: message.attempt + 1, dueAt: next.toISOString() }]);
  return status;
}
