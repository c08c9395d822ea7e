import type { AttributeValue } from '@aws-sdk/client-dynamodb';
import { EventBridgeClient } from '@aws-sdk/client-eventbridge';
import { SQSClient } from '@aws-sdk/client-sqs';
import type { DynamoDBBatchResponse, DynamoDBRecord, DynamoDBStreamEvent } from 'aws-lambda';
import { outboxEntryOfImage } from '../../shared/adapters/aws/audit-table-items.ts';
import { DynamoDbAccessMonitorState } from '../../shared/adapters/aws/dynamodb-access-monitor-state.ts';
import { DynamoDbAuditChainHeads } from '../../shared/adapters/aws/dynamodb-audit-chain-heads.ts';
import { createDocumentClient } from '../../shared/adapters/aws/dynamodb-document-client.ts';
import { DynamoDbPatientAuditIndex } from '../../shared/adapters/aws/dynamodb-patient-audit-index.ts';
import { DynamoDbTenantEventFeed } from '../../shared/adapters/aws/dynamodb-tenant-event-feed.ts';
import { DynamoDbTenantPolicyRepository } from '../../shared/adapters/aws/dynamodb-tenant-policy-repository.ts';
import { DynamoDbWebhookRepository } from '../../shared/adapters/aws/dynamodb-webhook-repository.ts';
import { EventBridgeEventPublisher } from '../../shared/adapters/aws/eventbridge-event-publisher.ts';
import { PowertoolsSecurityMetrics } from '../../shared/adapters/aws/powertools-security-metrics.ts';
import { S3AuditChainStore } from '../../shared/adapters/aws/s3-audit-chain-store.ts';
import { createS3Client } from '../../shared/adapters/aws/s3-client.ts';
import { SqsWebhookDeliveryQueue } from '../../shared/adapters/aws/sqs-webhook-delivery-queue.ts';
import type { PlatformEvent } from '../../shared/domain/platform-events.ts';
import { createLogger, type Logger } from '../../shared/observability/logger.ts';
import { systemClock } from '../../shared/ports/clock.ts';
import type { EventPublisher } from '../../shared/ports/event-publisher.ts';
import { uuidGenerator } from '../../shared/ports/id-generator.ts';
import type { SecurityMetrics } from '../../shared/ports/security-metrics.ts';
import type { WebhookDeliveryQueue } from '../../shared/ports/webhook-delivery-queue.ts';
import {
  deliverOutbox,
  type OutboxDeliveryDependencies,
} from '../../shared/services/audit/deliver-outbox.ts';
import { dispatchToWebhooks } from '../../shared/services/events/dispatch-to-webhooks.ts';
import { createAuditTrail } from '../../shared/wiring/audit-trail.ts';
import { dynamoDbClientSettings, s3ClientSettings } from '../../shared/wiring/aws-client-settings.ts';
import { createLocalEventBus } from '../../shared/wiring/platform-adapters.ts';
import type { AuditStreamConfig } from './config.ts';

const SERVICE_NAME = 'audit-stream';

export interface AuditStreamOverrides {
  /** The local platform's bus (with its subscription targets); deployed, EventBridge. */
  readonly bus?: EventPublisher;
  readonly metrics?: SecurityMetrics;
  readonly logger?: Logger;
  /**
   * The local platform's in-process delivery queue; deployed, SQS. Locally without one (the
   * consumer's own tests), the feed is appended and no webhook delivery is queued.
   */
  readonly webhookQueue?: WebhookDeliveryQueue;
}

/** Builds the consumer's adapters once per cold start. */
export function wireAuditStream(
  config: AuditStreamConfig,
  overrides: AuditStreamOverrides = {},
): OutboxDeliveryDependencies {
  const client = createDocumentClient(dynamoDbClientSettings(config));
  const s3 = createS3Client(s3ClientSettings(config));
  const chain = new S3AuditChainStore(s3, config.COMPLIANCE_LOG_BUCKET);
  const clock = systemClock;
  const ids = uuidGenerator;
  const bus =
    overrides.bus ??
    (config.PLATFORM_MODE === 'local'
      ? createLocalEventBus({ s3, complianceLogBucket: config.COMPLIANCE_LOG_BUCKET })
      : new EventBridgeEventPublisher(new EventBridgeClient({}), config.EVENT_BUS_NAME));
  const webhookQueue =
    overrides.webhookQueue ??
    (config.WEBHOOK_DELIVERY_QUEUE_URL === undefined
      ? undefined
      : new SqsWebhookDeliveryQueue(new SQSClient({}), config.WEBHOOK_DELIVERY_QUEUE_URL, clock));
  const webhooks = new DynamoDbWebhookRepository(client, config.PLUGINS_TABLE, config.AUDIT_TABLE);
  return {
    ...(webhookQueue === undefined
      ? {}
      : {
          onFeedAppended: async (appended) => {
            await dispatchToWebhooks(
              appended.map(({ event }) => event),
              { webhooks, queue: webhookQueue, clock },
            );
          },
        }),
    bus,
    heads: new DynamoDbAuditChainHeads(client, config.AUDIT_TABLE),
    chainWriter: chain,
    clock,
    patientIndex: new DynamoDbPatientAuditIndex(client, config.AUDIT_TABLE),
    monitor: {
      ...createAuditTrail(client, config.AUDIT_TABLE),
      monitorState: new DynamoDbAccessMonitorState(client, config.PLUGINS_TABLE),
      policies: new DynamoDbTenantPolicyRepository(client, config.PLUGINS_TABLE, config.AUDIT_TABLE),
      metrics: overrides.metrics ?? new PowertoolsSecurityMetrics({ serviceName: SERVICE_NAME }),
      clock,
      ids,
    },
    tenantEvents: { feed: new DynamoDbTenantEventFeed(client, config.AUDIT_TABLE), clock },
  };
}

const nameOf = (error: unknown) => (error instanceof Error ? error.name : typeof error);

/**
 * The batch's outbox entries in stream order, with the record each came from. Other items (chain
 * heads, index entries: the filter keeps them out deployed) are skipped; an entry that does not
 * parse ends the batch there, to be retried and then dead-lettered, never skipped.
 */
function entriesOf(records: readonly DynamoDBRecord[]): {
  entries: { entry: PlatformEvent; recordIndex: number }[];
  unreadable?: number;
} {
  const entries: { entry: PlatformEvent; recordIndex: number }[] = [];
  for (const [recordIndex, record] of records.entries()) {
    try {
      const entry = outboxEntryOfImage(
        record.dynamodb?.NewImage as Record<string, AttributeValue> | undefined,
      );
      if (entry) entries.push({ entry, recordIndex });
    } catch {
      return { entries, unreadable: recordIndex };
    }
  }
  return { entries };
}

/**
 * The handler over a deliverer: ReportBatchItemFailures names the first record not delivered, and
 * every one after it, so the stream retries from there in order (Lambda takes the lowest).
 */
export function auditStreamHandlerOf(deps: OutboxDeliveryDependencies, logger: Logger) {
  return async (event: DynamoDBStreamEvent): Promise<DynamoDBBatchResponse> => {
    const records = event.Records;
    const { entries, unreadable } = entriesOf(records);
    if (unreadable !== undefined)
      logger.error('an outbox entry in the stream does not parse', {
        sequenceNumber: records[unreadable]?.dynamodb?.SequenceNumber,
      });
    const delivery = await deliverOutbox(
      entries.map(({ entry }) => entry),
      deps,
    );
    for (const { stage, index, error } of delivery.failures)
      logger.warn('an outbox entry could not be delivered; the stream will deliver it again', {
        stage,
        eventId: entries[index]?.entry.id,
        errorName: nameOf(error),
      });
    const undelivered =
      delivery.firstUndelivered === undefined ? undefined : entries[delivery.firstUndelivered]?.recordIndex;
    const first = Math.min(unreadable ?? records.length, undelivered ?? records.length);
    return {
      batchItemFailures: records
        .slice(first)
        .flatMap((record) =>
          record.dynamodb?.SequenceNumber ? [{ itemIdentifier: record.dynamodb.SequenceNumber }] : [],
        ),
    };
  };
}

/** The consumer's handler from its config: what handler.ts exports and the local poller calls. */
export function createAuditStreamHandler(config: AuditStreamConfig, overrides: AuditStreamOverrides = {}) {
  const logger = overrides.logger ?? createLogger(SERVICE_NAME, config.POWERTOOLS_LOG_LEVEL);
  return auditStreamHandlerOf(wireAuditStream(config, overrides), logger);
}
