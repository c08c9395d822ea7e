import { DynamoDBClient, TransactionCanceledException } from '@aws-sdk/client-dynamodb';
import {
  DynamoDBDocumentClient,
  GetCommand,
  PutCommand,
  QueryCommand,
  TransactWriteCommand,
} from '@aws-sdk/lib-dynamodb';
import { mockClient } from 'aws-sdk-client-mock';
import { afterEach, describe, expect, it } from 'vitest';
import { DynamoDbAuditChainHeads } from '../../../../../shared/adapters/aws/dynamodb-audit-chain-heads.ts';

const dynamo = mockClient(DynamoDBDocumentClient);
afterEach(() => dynamo.reset());
const heads = () =>
  new DynamoDbAuditChainHeads(
    DynamoDBDocumentClient.from(new DynamoDBClient({ region: 'us-east-1' })),
    'audit',
  );
const link = {
  recordId: 'r2',
  seq: 2,
  previousHash: 'a'.repeat(64),
  hash: 'b'.repeat(64),
  recordedAt: '2030-01-07T12:00:00.000Z',
};

describe('DynamoDbAuditChainHeads', () => {
  it('advances the head conditionally on the one read, with the record’s marker, in one transaction', async () => {
    dynamo.on(TransactWriteCommand).resolves({});

    const expected = { seq: 1, hash: 'a'.repeat(64), recordedAt: '2030-01-07T11:59:00.000Z' };
    expect(await heads().advance('t-one', expected, link)).toBe(true);

    const [call] = dynamo.commandCalls(TransactWriteCommand);
    const [head, marker] = call?.args[0].input.TransactItems ?? [];
    expect(head?.Put).toMatchObject({
      TableName: 'audit',
      Item: {
        PK: 'TENANT#t-one',
        SK: 'CHAIN#HEAD',
        seq: 2,
        hash: link.hash,
        GSI1PK: 'CHAIN#HEADS',
        GSI1SK: 't-one',
      },
      ConditionExpression: '#e0 = :e0 AND #e1 = :e1',
      ExpressionAttributeNames: { '#e0': 'seq', '#e1': 'hash' },
      ExpressionAttributeValues: { ':e0': 1, ':e1': expected.hash },
    });
    expect(marker?.Put).toMatchObject({
      Item: { PK: 'TENANT#t-one', SK: 'CHAIN#REC#r2', ...link },
      ConditionExpression: 'attribute_not_exists(PK)',
    });
  });

  it('creates a first head only where none is, and keeps the platform’s chain in its partition', async () => {
    dynamo.on(TransactWriteCommand).resolves({});

    await heads().advance('_platform', undefined, { ...link, seq: 1 });

    const head = dynamo.commandCalls(TransactWriteCommand)[0]?.args[0].input.TransactItems?.[0]?.Put;
    expect(head).toMatchObject({
      Item: { PK: 'PLATFORM', chainTenantId: '_platform' },
      ConditionExpression: 'attribute_not_exists(PK)',
    });
  });

  it('answers false when another consumer moved the head or chained the record first', async () => {
    dynamo.on(TransactWriteCommand).rejects(
      new TransactionCanceledException({
        message: 'cancelled',
        $metadata: {},
        CancellationReasons: [{ Code: 'ConditionalCheckFailed' }],
      }),
    );
    expect(await heads().advance('t-one', undefined, link)).toBe(false);

    dynamo
      .on(TransactWriteCommand)
      .rejects(Object.assign(new Error('throttled'), { name: 'ProvisionedThroughputExceededException' }));
    await expect(heads().advance('t-one', undefined, link)).rejects.toThrow('throttled');
  });

  it('reads a record’s marker back for its redelivery, consistently', async () => {
    dynamo.on(GetCommand).resolves({});
    dynamo
      .on(GetCommand, { Key: { PK: 'TENANT#t-one', SK: 'CHAIN#REC#r2' } })
      .resolves({ Item: { PK: 'x', SK: 'y', ...link } });

    expect(await heads().linkOf('t-one', 'r2')).toEqual(link);
    expect(await heads().linkOf('t-one', 'r3')).toBeUndefined();
    expect(dynamo.commandCalls(GetCommand)[0]?.args[0].input.ConsistentRead).toBe(true);
  });

  it('lists every chain from the heads index, page by page', async () => {
    dynamo
      .on(QueryCommand)
      .resolvesOnce({ Items: [{ chainTenantId: 't-one' }], LastEvaluatedKey: { PK: 'k' } })
      .resolvesOnce({ Items: [{ chainTenantId: '_platform' }] });

    expect(await heads().listChains()).toEqual(['t-one', '_platform']);
    expect(dynamo.commandCalls(QueryCommand)[0]?.args[0].input).toMatchObject({
      IndexName: 'GSI1',
      ExpressionAttributeValues: { ':heads': 'CHAIN#HEADS' },
    });
  });

  it('records digest state conditionally on the last seq it read', async () => {
    dynamo
      .on(PutCommand)
      .resolvesOnce({})
      .rejectsOnce(Object.assign(new Error('no'), { name: 'ConditionalCheckFailedException' }));
    const state = { lastSeq: 5, periodStart: '2030-01-07T12:00:00.000Z', digest: '{}' };

    expect(await heads().recordDigest('t-one', 0, state)).toBe(true);
    expect(await heads().recordDigest('t-one', 5, { ...state, lastSeq: 9 })).toBe(false);
    const [first, second] = dynamo.commandCalls(PutCommand).map((call) => call.args[0].input);
    expect(first).toMatchObject({
      Item: { SK: 'CHAIN#DIGEST', lastSeq: 5 },
      ConditionExpression: 'attribute_not_exists(PK)',
    });
    expect(second).toMatchObject({
      ConditionExpression: 'lastSeq = :expected',
      ExpressionAttributeValues: { ':expected': 5 },
    });
  });
});
