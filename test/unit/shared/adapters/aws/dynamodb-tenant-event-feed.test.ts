import { DynamoDBClient, TransactionCanceledException } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient, QueryCommand, TransactWriteCommand } from '@aws-sdk/lib-dynamodb';
import { mockClient } from 'aws-sdk-client-mock';
import { afterEach, describe, expect, it } from 'vitest';
import { DynamoDbTenantEventFeed } from '../../../../../shared/adapters/aws/dynamodb-tenant-event-feed.ts';
import { TenantIdSchema } from '../../../../../shared/domain/identifiers.ts';
import type { TenantEvent } from '../../../../../shared/domain/tenant-events.ts';

const dynamo = mockClient(DynamoDBDocumentClient);
afterEach(() => dynamo.reset());
const feed = () =>
  new DynamoDbTenantEventFeed(
    DynamoDBDocumentClient.from(new DynamoDBClient({ region: 'us-east-1' })),
    'audit',
  );

const event: TenantEvent = {
  id: 'evt-7',
  name: 'plugin:error',
  time: '2030-01-07T12:00:00.000Z',
  tenantId: TenantIdSchema.parse('t-one'),
  detail: { pluginId: 'p', code: 'SandboxCrashed' },
};

describe('DynamoDbTenantEventFeed', () => {
  it('appends at the next seq in one transaction: the head on its condition, the marker and the item if new', async () => {
    dynamo.on(TransactWriteCommand).resolves({});

    expect(await feed().append('t-one', 6, { seq: 7, event, expiresAt: 1_900_000_000 })).toBe(true);

    const items = dynamo.commandCalls(TransactWriteCommand)[0]?.args[0].input.TransactItems ?? [];
    expect(items.map((item) => item.Put?.Item?.SK)).toEqual([
      'FEED#HEAD',
      'FEED#ID#evt-7',
      'FEED#SEQ#000000000007',
    ]);
    expect(items[0]?.Put).toMatchObject({
      Item: { PK: 'TENANT#t-one', seq: 7 },
      ConditionExpression: '#e0 = :e0',
      ExpressionAttributeNames: { '#e0': 'seq' },
      ExpressionAttributeValues: { ':e0': 6 },
    });
    for (const item of items.slice(1)) {
      expect(item.Put?.ConditionExpression).toBe('attribute_not_exists(PK)');
      expect(item.Put?.Item?.expiresAt).toBe(1_900_000_000);
    }
    expect(JSON.parse(String(items[2]?.Put?.Item?.body))).toEqual(event);
  });

  it('creates the first head only where none is', async () => {
    dynamo.on(TransactWriteCommand).resolves({});

    await feed().append('t-one', 0, { seq: 1, event, expiresAt: 1 });

    const head = dynamo.commandCalls(TransactWriteCommand)[0]?.args[0].input.TransactItems?.[0]?.Put;
    expect(head?.ConditionExpression).toBe('attribute_not_exists(PK)');
  });

  it('answers false when another consumer moved the head or appended the event first', async () => {
    dynamo
      .on(TransactWriteCommand)
      .rejects(
        new TransactionCanceledException({ message: 'cancelled', $metadata: {}, CancellationReasons: [] }),
      );

    expect(await feed().append('t-one', 6, { seq: 7, event, expiresAt: 1 })).toBe(false);
  });

  it('reads after a seq with one consistent Query on the tenant’s partition, in seq order', async () => {
    dynamo.on(QueryCommand).resolves({
      Items: [{ seq: 8, body: JSON.stringify(event), expiresAt: 5 }],
    });

    const items = await feed().readAfter('t-one', 7, 25);

    expect(items).toEqual([{ seq: 8, event, expiresAt: 5 }]);
    expect(dynamo.commandCalls(QueryCommand)[0]?.args[0].input).toMatchObject({
      KeyConditionExpression: 'PK = :pk AND SK BETWEEN :from AND :to',
      ExpressionAttributeValues: {
        ':pk': 'TENANT#t-one',
        ':from': 'FEED#SEQ#000000000008',
        ':to': 'FEED#SEQ#999999999999',
      },
      Limit: 25,
      ConsistentRead: true,
    });
  });
});
