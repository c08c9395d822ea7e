import type { WebhookDeliveryConfig } from '../../functions/webhook-delivery/config.ts';
import { createWebhookDeliveryHandler } from '../../functions/webhook-delivery/wiring.ts';
import { LocalWebhookDeliveryQueue } from '../../shared/adapters/local/local-webhook-delivery-queue.ts';
import { systemClock } from '../../shared/ports/clock.ts';

/**
 * Webhook delivery on the local platform: the delivery function's own handler, fed by an
 * in-process queue that stands in for SQS (a timer per message until it is due). The handler
 * answers SQS's partial batch response; a message it reports failed is offered again.
 */
export function startLocalWebhookDelivery(config: WebhookDeliveryConfig): {
  queue: LocalWebhookDeliveryQueue;
} {
  const queue = new LocalWebhookDeliveryQueue(systemClock);
  const handler = createWebhookDeliveryHandler(config, { queue });
  let sequence = 0;
  queue.attach(async (message) => {
    sequence += 1;
    const messageId = `local-${sequence}`;
    const response = await handler({
      Records: [
        {
          messageId,
          receiptHandle: messageId,
          body: JSON.stringify(message),
          attributes: {
            ApproximateReceiveCount: '1',
            SentTimestamp: String(Date.now()),
            SenderId: 'local',
            ApproximateFirstReceiveTimestamp: String(Date.now()),
          },
          messageAttributes: {},
          md5OfBody: '',
          eventSource: 'aws:sqs',
          eventSourceARN: 'arn:aws:sqs:local:000000000000:webhook-deliveries',
          awsRegion: 'local',
        },
      ],
    });
    if (response.batchItemFailures.length > 0) throw new Error('the webhook delivery will be offered again');
  });
  return { queue };
}
