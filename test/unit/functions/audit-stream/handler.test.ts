import { marshall } from '@aws-sdk/util-dynamodb';
import type { DynamoDBRecord, DynamoDBStreamEvent } from 'aws-lambda';
import { describe, expect, it } from 'vitest';
import { loadAuditStreamConfig } from '../../../../functions/audit-stream/config.ts';
import { auditStreamHandlerOf } from '../../../../functions/audit-stream/wiring.ts';
import { outboxItem } from '../../../../shared/adapters/aws/audit-table-items.ts';
import type { PlatformEvent } from '../../../../shared/domain/platform-events.ts';
import { createLogger } from '../../../../shared/observability/logger.ts';
import { outboxDeliveryHarness, outboxEntry } from '../../../support/outbox-delivery-harness.ts';

const logger = createLogger('audit-stream-test', 'SILENT');
const streamRecord = (sequenceNumber: string, item: Record<string, unknown>): DynamoDBRecord => ({
  eventName: 'INSERT',
  dynamodb: {
    SequenceNumber: sequenceNumber,
    NewImage: marshall(item, { removeUndefinedValues: true }) as NonNullable<
      DynamoDBRecord['dynamodb']
    >['NewImage'],
  },
});
const streamOf = (entries: readonly (PlatformEvent | Record<string, unknown>)[]): DynamoDBStreamEvent => ({
  Records: entries.map((entry, index) =>
    streamRecord(
      String(100 + index),
      'name' in entry && 'detail' in entry ? outboxItem(entry as PlatformEvent) : entry,
    ),
  ),
});

describe('the audit stream handler', () => {
  it('delivers the batch’s outbox entries and skips other items', async () => {
    const { deps, bus, chain } = outboxDeliveryHarness();
    const handler = auditStreamHandlerOf(deps, logger);

    const response = await handler(
      streamOf([
        outboxEntry('e1'),
        { PK: 'TENANT#t-one', SK: 'CHAIN#HEAD', seq: 1 },
        outboxEntry('e2', { name: 'plugin:installed' }),
      ]),
    );

    expect(response).toEqual({ batchItemFailures: [] });
    expect(bus.published.map((event) => event.id)).toEqual(['e1', 'e2']);
    expect(chain.records('t-one').map((record) => record.recordId)).toEqual(['e1']);
  });

  it('reports the first record not delivered and every one after it', async () => {
    const { deps, chain } = outboxDeliveryHarness();
    const handler = auditStreamHandlerOf(deps, logger);
    await handler(streamOf([outboxEntry('e1')]));
    chain.failPuts = 1;

    const response = await handler(
      streamOf([
        { PK: 'TENANT#t-one', SK: 'CHAIN#HEAD' },
        outboxEntry('e2'),
        outboxEntry('e3'),
        outboxEntry('e4'),
      ]),
    );

    expect(response.batchItemFailures).toEqual([
      { itemIdentifier: '101' },
      { itemIdentifier: '102' },
      { itemIdentifier: '103' },
    ]);
  });

  it('stops at an outbox entry that does not parse: retried, then dead-lettered, never skipped', async () => {
    const { deps, bus } = outboxDeliveryHarness();
    const handler = auditStreamHandlerOf(deps, logger);

    const response = await handler(
      streamOf([
        outboxEntry('e1'),
        { PK: 'TENANT#t-one', SK: 'EVT#x', body: '{"not":"an event"}' },
        outboxEntry('e3'),
      ]),
    );

    expect(response.batchItemFailures).toEqual([{ itemIdentifier: '101' }, { itemIdentifier: '102' }]);
    expect(bus.published.map((event) => event.id)).toEqual(['e1']);
  });

  it('refuses the local platform’s settings when deployed', () => {
    const env = {
      PLUGINS_TABLE: 'plugins',
      AUDIT_TABLE: 'audit',
      COMPLIANCE_LOG_BUCKET: 'compliance',
      WEBHOOK_DELIVERY_QUEUE_URL: 'https://sqs.eu-west-1.amazonaws.com/123456789012/webhook-deliveries',
    };
    expect(loadAuditStreamConfig(env).PLATFORM_MODE).toBe('aws');
    expect(() =>
      loadAuditStreamConfig({ ...env, AWS_ENDPOINT_URL_DYNAMODB: 'http://localhost:8000' }),
    ).toThrow(/AWS_ENDPOINT_URL_DYNAMODB/);
  });
});
