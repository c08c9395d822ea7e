import { SQSClient } from '@aws-sdk/client-sqs';
import type { SQSBatchResponse, SQSEvent } from 'aws-lambda';
import { createDocumentClient } from '../../shared/adapters/aws/dynamodb-document-client.ts';
import { SqsWebhookDeliveryQueue } from '../../shared/adapters/aws/sqs-webhook-delivery-queue.ts';
import { StandardWebhooksSender } from '../../shared/adapters/egress/standard-webhooks-sender.ts';
import { WebhookDeliveryMessageSchema } from '../../shared/domain/webhook-delivery.ts';
import { createLogger, type Logger } from '../../shared/observability/logger.ts';
import { systemClock } from '../../shared/ports/clock.ts';
import type { WebhookDeliveryQueue } from '../../shared/ports/webhook-delivery-queue.ts';
import type { WebhookSender } from '../../shared/ports/webhook-sender.ts';
import {
  deliverWebhook,
  type WebhookDeliveryDependencies,
} from '../../shared/services/events/deliver-webhook.ts';
import { dynamoDbClientSettings } from '../../shared/wiring/aws-client-settings.ts';
import { createWebhookStores } from '../../shared/wiring/webhook-adapters.ts';
import type { WebhookDeliveryConfig } from './config.ts';

const SERVICE_NAME = 'webhook-delivery';

export interface WebhookDeliveryOverrides {
  /** The local platform's in-process queue; deployed, SQS. */
  readonly queue?: WebhookDeliveryQueue;
  /** Tests: a sender over a hostile resolver. */
  readonly sender?: WebhookSender;
  readonly logger?: Logger;
}

/** Builds the delivery's adapters once per cold start. */
export function wireWebhookDelivery(
  config: WebhookDeliveryConfig,
  overrides: WebhookDeliveryOverrides = {},
): WebhookDeliveryDependencies {
  const documentClient = createDocumentClient(dynamoDbClientSettings(config));
  const { webhooks, sealer } = createWebhookStores(config, documentClient);
  const clock = systemClock;
  const queue =
    overrides.queue ??
    (config.WEBHOOK_DELIVERY_QUEUE_URL === undefined
      ? undefined
      : new SqsWebhookDeliveryQueue(new SQSClient({}), config.WEBHOOK_DELIVERY_QUEUE_URL, clock));
  if (!queue)
    throw new Error('the webhook delivery needs its queue: WEBHOOK_DELIVERY_QUEUE_URL or the local one');
  return {
    webhooks,
    sealer,
    queue,
    clock,
    sender:
      overrides.sender ?? new StandardWebhooksSender({ loopbackOrigins: config.WEBHOOK_LOOPBACK_ORIGINS }),
  };
}

const nameOf = (error: unknown) => (error instanceof Error ? error.name : typeof error);

/**
 * The SQS handler: each message is one delivery, run side by side with the batch's others (each
 * bounded by its own timeout), so one slow receiver delays no other webhook's delivery. A message
 * that does not parse is logged and dropped (it came from no producer of this platform); one whose
 * attempt could not be made or recorded is reported failed, and SQS offers it again (then its DLQ).
 */
export function webhookDeliveryHandlerOf(deps: WebhookDeliveryDependencies, logger: Logger) {
  return async (event: SQSEvent): Promise<SQSBatchResponse> => {
    const failures = await Promise.all(
      event.Records.map(async (record) => {
        let message: ReturnType<typeof WebhookDeliveryMessageSchema.parse>;
        try {
          message = WebhookDeliveryMessageSchema.parse(JSON.parse(record.body));
        } catch {
          logger.error('a webhook delivery message does not parse; dropped', { messageId: record.messageId });
          return [];
        }
        try {
          const status = await deliverWebhook(message, deps);
          logger.info('webhook delivery attempt', {
            tenantId: message.tenantId,
            webhookId: message.webhookId,
            eventId: message.event.id,
            attempt: message.attempt,
            status,
          });
          return [];
        } catch (error) {
          logger.warn('a webhook delivery could not be made; SQS offers it again', {
            tenantId: message.tenantId,
            webhookId: message.webhookId,
            eventId: message.event.id,
            errorName: nameOf(error),
          });
          return [{ itemIdentifier: record.messageId }];
        }
      }),
    );
    return { batchItemFailures: failures.flat() };
  };
}

/** The delivery function's handler from its config: what handler.ts exports and the local platform calls. */
export function createWebhookDeliveryHandler(
  config: WebhookDeliveryConfig,
  overrides: WebhookDeliveryOverrides = {},
) {
  const logger = overrides.logger ?? createLogger(SERVICE_NAME, config.POWERTOOLS_LOG_LEVEL);
  return webhookDeliveryHandlerOf(wireWebhookDelivery(config, overrides), logger);
}
