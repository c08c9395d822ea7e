import { Duration } from 'aws-cdk-lib';
import type { IKey } from 'aws-cdk-lib/aws-kms';
import { SqsEventSource } from 'aws-cdk-lib/aws-lambda-event-sources';
import type { ITopic } from 'aws-cdk-lib/aws-sns';
import { Queue, QueueEncryption } from 'aws-cdk-lib/aws-sqs';
import { Construct } from 'constructs';
import { acknowledge } from '../compliance-packs.ts';
import type { PlatformResources } from '../platform-resources.ts';
import { deadLetterQueue, queueSendStatements } from './encrypted-queues.ts';
import { PluginFunction } from './plugin-function.ts';

export const WEBHOOK_DELIVERY_SERVICE_NAME = 'webhook-delivery';

/** The delivery function's event source: what the README's webhook section and the infra tests rely on. */
export const WEBHOOK_DELIVERY_MAPPING = {
  batchSize: 10,
  /** Deliveries side by side, across tenants: bounded, so a burst cannot exhaust the account's Lambdas. */
  maxConcurrency: 20,
  /** A message whose attempt could not even be made (KMS, DynamoDB down) is offered this often, then dead-lettered. */
  maxReceiveCount: 5,
} as const;

const FUNCTION_TIMEOUT_SECONDS = 30;

export interface WebhookDeliveryProps {
  readonly resources: PlatformResources;
  readonly operationsTopic: ITopic;
  readonly entry: string;
}

/**
 * Webhook delivery: an encrypted SQS queue the outbox consumer puts one message per event and
 * webhook on, and a function that signs and sends each (Standard Webhooks, through the guarded
 * egress) and puts retries back with their backoff as message delays. A delivery function rather
 * than EventBridge API destinations: those sign with one connection's static credentials, so they
 * cannot compute a per-tenant HMAC over each body, and they connect to whatever the endpoint
 * resolves to, without the platform's private and metadata address checks.
 */
export class WebhookDelivery extends Construct {
  readonly queue: Queue;
  readonly deadLetterQueue: Queue;
  readonly deliverer: PluginFunction;

  constructor(scope: Construct, id: string, props: WebhookDeliveryProps) {
    super(scope, id);
    const { resources } = props;
    this.deadLetterQueue = deadLetterQueue(this, {
      key: resources.dataKey,
      topic: props.operationsTopic,
      what: 'the webhook delivery queue',
      alarmDescription:
        'Webhook deliveries could not be attempted five times (KMS or DynamoDB failing); see the delivery logs.',
    });
    this.queue = new Queue(this, 'Queue', {
      encryption: QueueEncryption.KMS,
      encryptionMasterKey: resources.dataKey,
      enforceSSL: true,
      // Six times the function's timeout, as Lambda's SQS guidance asks.
      visibilityTimeout: Duration.seconds(FUNCTION_TIMEOUT_SECONDS * 6),
      retentionPeriod: Duration.days(4),
      deadLetterQueue: {
        queue: this.deadLetterQueue,
        maxReceiveCount: WEBHOOK_DELIVERY_MAPPING.maxReceiveCount,
      },
    });

    this.deliverer = new PluginFunction(this, 'Deliverer', {
      entry: props.entry,
      description: "Gradiant Plugins: signs and sends tenant events to the tenants' webhooks",
      serviceName: WEBHOOK_DELIVERY_SERVICE_NAME,
      environment: resources.environmentFor({ WEBHOOK_DELIVERY_QUEUE_URL: this.queue.queueUrl }),
      logKey: resources.logKey,
      memorySize: 256,
      timeout: Duration.seconds(FUNCTION_TIMEOUT_SECONDS),
      reservedConcurrentExecutions: WEBHOOK_DELIVERY_MAPPING.maxConcurrency,
      outsideVpcReason:
        "Sends to tenants' public https endpoints through the platform's own egress guard (no private or metadata address at connect time); a VPC would only add a NAT path.",
    });
    // The webhooks read, their last delivery updated (no Put, no Delete), the secret key Decrypt only.
    resources.grant(this.deliverer, { plugins: 'read', pluginsUpdate: true, webhookSecrets: 'decrypt' });
    this.deliverer.allow(...queueSendStatements(this.queue, resources.dataKey));
    this.deliverer.function.addEventSource(
      new SqsEventSource(this.queue, {
        batchSize: WEBHOOK_DELIVERY_MAPPING.batchSize,
        maxConcurrency: WEBHOOK_DELIVERY_MAPPING.maxConcurrency,
        reportBatchItemFailures: true,
      }),
    );
    acknowledge(
      this.deliverer.cfnFunction,
      'HIPAA.Security-LambdaDLQ',
      'Invoked by its SQS event source mapping; undeliverable messages go to the queue’s own encrypted dead-letter queue (redrive policy), Lambda async DLQs do not apply.',
    );
  }

  /** The outbox consumer puts first attempts on the queue. */
  allowEnqueue(consumer: PluginFunction, key: IKey): void {
    consumer.allow(...queueSendStatements(this.queue, key));
    consumer.function.addEnvironment('WEBHOOK_DELIVERY_QUEUE_URL', this.queue.queueUrl);
  }
}
