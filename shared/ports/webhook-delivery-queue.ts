import type { WebhookDeliveryMessage } from '../domain/webhook-delivery.ts';

/**
 * Where deliveries wait until they are due (SQS deployed, with a delay per message; a timer on the
 * local platform). Each message is one event for one webhook, so a slow receiver holds up only its
 * own messages.
 */
export interface WebhookDeliveryQueue {
  enqueue(messages: readonly WebhookDeliveryMessage[]): Promise<void>;
}
