import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { BatchWriteCommand, DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { mockClient } from 'aws-sdk-client-mock';
import { afterEach, describe, expect, it } from 'vitest';
import { DynamoDbPatientAuditIndex } from '../../../../../shared/adapters/aws/dynamodb-patient-audit-index.ts';
import type { PatientIndexEntry } from '../../../../../shared/ports/patient-audit-index.ts';

const dynamo = mockClient(DynamoDBDocumentClient);
afterEach(() => dynamo.reset());
const index = (attempts = 3) =>
  new DynamoDbPatientAuditIndex(
    DynamoDBDocumentClient.from(new DynamoDBClient({ region: 'us-east-1' })),
    'audit',
    {
      attempts,
      baseDelayMs: 0,
      sleep: async () => undefined,
    },
  );
const entry = (patientId: string, id = 'r1'): PatientIndexEntry => ({
  tenantId: 't-one',
  patientId,
  event: { id, time: '2030-01-07T12:00:00.000Z', tenantId: 't-one' },
  action: 'plugin:invoked',
  outcome: 'success',
  operations: ['patients.get'],
});
const keysOf = (call: number) =>
  (dynamo.commandCalls(BatchWriteCommand)[call]?.args[0].input.RequestItems?.audit ?? []).map(
    (request) => request.PutRequest?.Item?.PK,
  );

describe('DynamoDbPatientAuditIndex', () => {
  it('writes the unprocessed items again until none is left', async () => {
    dynamo
      .on(BatchWriteCommand)
      .callsFakeOnce((input) => ({ UnprocessedItems: { audit: input.RequestItems.audit.slice(1) } }))
      .resolves({ UnprocessedItems: {} });

    await index().put([entry('p-1'), entry('p-2'), entry('p-2')]);

    expect([keysOf(0), keysOf(1)]).toEqual([
      ['TENANT#t-one#PATIENT#p-1', 'TENANT#t-one#PATIENT#p-2'],
      ['TENANT#t-one#PATIENT#p-2'],
    ]);
  });

  it('rejects after its attempts, and writes 25 items a call', async () => {
    dynamo
      .on(BatchWriteCommand)
      .callsFake((input) => ({ UnprocessedItems: { audit: input.RequestItems.audit.slice(0, 1) } }));

    await expect(index(2).put(Array.from({ length: 30 }, (_, n) => entry(`p-${n}`)))).rejects.toThrow(
      'left 1 item(s) unwritten after 2 attempts',
    );
    expect(keysOf(0)).toHaveLength(25);
  });
});
