import { SendMessageBatchCommand, type SQSClient } from '@aws-sdk/client-sqs';
import type { WebhookDeliveryMessage } from '../../domain/webhook-delivery.ts';
import type { Clock } from '../../ports/clock.ts';
import type { WebhookDeliveryQueue } from '../../ports/webhook-delivery-queue.ts';

/** SQS delays a message at most 15 minutes; a later one is delayed again when it comes back. */
export const MAX_SQS_DELAY_SECONDS = 900;
const BATCH = 10;

/**
 * Deliveries on the SQS delivery queue, each delayed until it is due (at most 15 minutes a time:
 * the delivery function sends a message that comes back early on again). Entries SQS refuses fail
 * the call, so the caller (the outbox consumer, or a delivery's retry) tries again.
 */
export class SqsWebhookDeliveryQueue implements WebhookDeliveryQueue {
  private readonly sqs: SQSClient;
  private readonly queueUrl: string;
  private readonly clock: Clock;

  constructor(sqs: SQSClient, queueUrl: string, clock: Clock) {
    this.sqs = sqs;
    this.queueUrl = queueUrl;
    this.clock = clock;
  }

  async enqueue(messages: readonly WebhookDeliveryMessage[]): Promise<void> {
    const now = this.clock.now().getTime();
    for (let start = 0; start < messages.length; start += BATCH) {
      const batch = messages.slice(start, start + BATCH);
      const result = await this.sqs.send(
        new SendMessageBatchCommand({
          QueueUrl: this.queueUrl,
          Entries: batch.map((message, index) => ({
            Id: String(index),
            MessageBody: JSON.stringify(message),
            DelaySeconds: Math.min(
              MAX_SQS_DELAY_SECONDS,
              Math.max(0, Math.ceil((Date.parse(message.dueAt) - now) / 1000)),
            ),
          })),
        }),
      );
      if ((result.Failed ?? []).length > 0)
        throw new Error(`SQS refused ${result.Failed?.length} webhook deliveries`);
    }
  }
}
