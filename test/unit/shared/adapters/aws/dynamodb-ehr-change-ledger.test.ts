import { DynamoDBClient, TransactionCanceledException } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient, TransactWriteCommand } from '@aws-sdk/lib-dynamodb';
import { mockClient } from 'aws-sdk-client-mock';
import { beforeEach, describe, expect, it } from 'vitest';
import { DynamoDbEhrChangeLedger } from '../../../../../shared/adapters/aws/dynamodb-ehr-change-ledger.ts';
import type { SeenVersion } from '../../../../../shared/domain/ehr-change.ts';
import { TenantIdSchema } from '../../../../../shared/domain/identifiers.ts';
import { platformEvent } from '../../../../../shared/services/platform-event.ts';

const TENANT = TenantIdSchema.parse('t-acme');
const documentClient = DynamoDBDocumentClient.from(new DynamoDBClient({ region: 'us-east-1' }));
const mock = mockClient(documentClient);
const ledger = new DynamoDbEhrChangeLedger(documentClient, 'plugins', 'audit');
const seen: SeenVersion = {
  type: 'Appointment',
  id: 'a-1',
  versionId: '2',
  patientId: 'p-1',
  snapshot: { status: 'booked' },
};
const event = platformEvent(
  'appointment:scheduled',
  TENANT,
  { appointmentId: 'a-1' },
  { ids: { next: () => 'e-1' }, clock: { now: () => new Date('2026-12-02T10:00:00Z') } },
);
const cancelled = (code: string) =>
  new TransactionCanceledException({
    message: 'cancelled',
    $metadata: {},
    CancellationReasons: [{ Code: code }, { Code: 'None' }],
  });

describe('DynamoDbEhrChangeLedger.claim', () => {
  beforeEach(() => mock.reset());

  it('puts the entry on the condition of the version read, with its events, in one transaction', async () => {
    mock.on(TransactWriteCommand).resolves({});

    expect(await ledger.claim(TENANT, seen, '1', [event])).toBe(true);

    const items = mock.commandCalls(TransactWriteCommand)[0]?.args[0].input.TransactItems ?? [];
    expect(items).toHaveLength(2);
    expect(items[0]?.Put).toMatchObject({
      TableName: 'plugins',
      Item: { PK: 'TENANT#t-acme', SK: 'EHRCHANGE#Appointment#a-1', versionId: '2' },
      ConditionExpression: 'versionId = :previous',
      ExpressionAttributeValues: { ':previous': '1' },
    });
    expect(items[1]?.Put?.TableName).toBe('audit');
  });

  it('answers false when the condition failed or another claim held the item', async () => {
    mock
      .on(TransactWriteCommand)
      .rejectsOnce(cancelled('ConditionalCheckFailed'))
      .rejectsOnce(cancelled('TransactionConflict'));

    expect(await ledger.claim(TENANT, seen, '1', [event])).toBe(false);
    expect(await ledger.claim(TENANT, seen, '1', [event])).toBe(false);
  });

  it('lets any other failure through', async () => {
    mock
      .on(TransactWriteCommand)
      .rejects(Object.assign(new Error('throttled'), { name: 'ThrottlingException' }));

    await expect(ledger.claim(TENANT, seen, undefined, [event])).rejects.toThrow('throttled');
  });
});
