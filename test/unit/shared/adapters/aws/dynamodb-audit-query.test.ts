import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { BatchGetCommand, DynamoDBDocumentClient, QueryCommand } from '@aws-sdk/lib-dynamodb';
import { mockClient } from 'aws-sdk-client-mock';
import { beforeEach, describe, expect, it } from 'vitest';
import { outboxItem, patientIndexItem } from '../../../../../shared/adapters/aws/audit-table-items.ts';
import { DynamoDbAuditQuery } from '../../../../../shared/adapters/aws/dynamodb-audit-query.ts';
import { encodeStartKey } from '../../../../../shared/adapters/aws/dynamodb-start-key.ts';
import { auditEntryAt, sampleRecords } from '../../../../support/audit-query-records.ts';

const client = DynamoDBDocumentClient.from(new DynamoDBClient({ region: 'us-east-1' }));
const dynamodb = mockClient(client);
const range = { from: '2026-12-01T00:00:00.000Z', to: '2026-12-01T23:59:59.000Z' };
const records = sampleRecords('t-acme');
const entry = (minute: number, record: object = records.lifecycle) =>
  auditEntryAt(record as never, `2026-12-01T10:${String(minute).padStart(2, '0')}:00.000Z`, `id-${minute}`);
const base = { tenantId: 't-acme', range, filter: {}, limit: 2 };

describe('DynamoDbAuditQuery (aws-sdk-client-mock)', () => {
  beforeEach(() => dynamodb.reset());

  it("queries the tenant's partition newest first, audit records only, over the range", async () => {
    dynamodb
      .on(QueryCommand)
      .resolves({ Items: [outboxItem(entry(2)), outboxItem(entry(1))], ScannedCount: 2 });

    const page = await new DynamoDbAuditQuery(client, 'audit').listRecords({ ...base, limit: 5 });

    const input = dynamodb.commandCalls(QueryCommand)[0]?.args[0].input;
    expect(input).toMatchObject({
      TableName: 'audit',
      ScanIndexForward: false,
      FilterExpression: '#kind = :audit',
      ExpressionAttributeValues: {
        ':partition': 'TENANT#t-acme',
        ':from': `EVT#${range.from}`,
        ':to': `EVT#${range.to}#\uffff`,
        ':audit': 'audit',
      },
    });
    expect(input?.IndexName).toBeUndefined();
    expect(page.items.map((item) => [item.id, item.recordedAt])).toEqual([
      ['id-2', '2026-12-01T10:02:00.000Z'],
      ['id-1', '2026-12-01T10:01:00.000Z'],
    ]);
    expect(page.nextCursor).toBeUndefined();
  });

  it('reads a record back exactly as it was written, an id it could not keep included', async () => {
    const written = entry(1, { ...records.lifecycle, pluginId: 'X' });
    dynamodb.on(QueryCommand).resolves({ Items: [outboxItem(written)], ScannedCount: 1 });

    const page = await new DynamoDbAuditQuery(client, 'audit').listRecords(base);

    expect(page.items[0]).toEqual({ ...written.detail, id: written.id, recordedAt: written.time });
    expect(page.items[0]?.pluginId).toBe('invalid:length=1');
  });

  it('reads GSI1 for a plugin and turns actor, action and outcome into filter expressions', async () => {
    dynamodb.on(QueryCommand).resolves({ Items: [], ScannedCount: 0 });

    await new DynamoDbAuditQuery(client, 'audit').listRecords({
      ...base,
      pluginId: 'lab-viewer',
      filter: { actor: 'nurse-7', action: 'security:anomaly', outcome: 'success' },
    });

    const input = dynamodb.commandCalls(QueryCommand)[0]?.args[0].input;
    expect(input?.IndexName).toBe('GSI1');
    expect(input?.FilterExpression).toBe(
      '#kind = :audit AND #actor = :actor AND #action = :action AND #outcome = :outcome',
    );
    expect(input?.ExpressionAttributeValues).toMatchObject({
      ':partition': 'TENANT#t-acme#PLUGIN#lab-viewer',
      ':from': range.from,
      ':actor': 'nurse-7',
      ':action': 'security:anomaly',
    });
  });

  it('stops at limit and hands out the key of the last item answered', async () => {
    dynamodb
      .on(QueryCommand)
      .resolves({ Items: [3, 2, 1].map((minute) => outboxItem(entry(minute))), ScannedCount: 3 });

    const page = await new DynamoDbAuditQuery(client, 'audit').listRecords(base);

    expect(page.items.map((item) => item.id)).toEqual(['id-3', 'id-2']);
    expect(JSON.parse(page.nextCursor ?? '')).toEqual({
      PK: 'TENANT#t-acme',
      SK: 'EVT#2026-12-01T10:02:00.000Z#id-2',
    });
  });

  it('keeps querying past filtered-out items until the scanned-items budget, then answers with a cursor', async () => {
    dynamodb
      .on(QueryCommand)
      .resolvesOnce({
        Items: [],
        ScannedCount: 3,
        LastEvaluatedKey: { PK: 'TENANT#t-acme', SK: 'EVT#2026-12-01T09:00:00.000Z#a' },
      })
      .resolvesOnce({
        Items: [outboxItem(entry(1))],
        ScannedCount: 3,
        LastEvaluatedKey: { PK: 'TENANT#t-acme', SK: 'EVT#2026-12-01T08:00:00.000Z#b' },
      });

    const page = await new DynamoDbAuditQuery(client, 'audit', { scanBudget: 6 }).listRecords(base);

    expect(dynamodb.commandCalls(QueryCommand)).toHaveLength(2);
    expect(dynamodb.commandCalls(QueryCommand)[1]?.args[0].input.ExclusiveStartKey).toEqual({
      PK: 'TENANT#t-acme',
      SK: 'EVT#2026-12-01T09:00:00.000Z#a',
    });
    expect(page.items).toHaveLength(1);
    expect(JSON.parse(page.nextCursor ?? '')).toMatchObject({ SK: 'EVT#2026-12-01T08:00:00.000Z#b' });
  });

  it.each([
    ['another partition', { PK: 'TENANT#t-globex', SK: `EVT#${range.from}#x` }],
    ['a key outside the range', { PK: 'TENANT#t-acme', SK: 'EVT#2020-01-01T00:00:00.000Z#x' }],
    ['a key with other attributes', { PK: 'TENANT#t-acme', SK: `EVT#${range.from}#x`, GSI1PK: 'y' }],
  ])('refuses a position naming %s before DynamoDB sees it', async (_what, key) => {
    const refused = await new DynamoDbAuditQuery(client, 'audit')
      .listRecords({ ...base, cursor: encodeStartKey(key) })
      .catch((error: unknown) => error);

    expect(refused).toMatchObject({ code: 'INVALID_CURSOR' });
    expect(dynamodb.commandCalls(QueryCommand)).toHaveLength(0);
  });

  it("reads a patient's index, then BatchGets the records it points at, matching actor on the record", async () => {
    const run = entry(5, records.pluginRun);
    const other = entry(4, { ...records.pluginRun, actor: 'someone-else' });
    const index = (event: typeof run) =>
      patientIndexItem({
        tenantId: 't-acme',
        patientId: 'p-001',
        event,
        action: 'plugin:invoked',
        outcome: 'success',
        pluginId: 'lab-viewer',
        operations: ['patients.get'],
      });
    dynamodb.on(QueryCommand).resolves({ Items: [index(run), index(other)], ScannedCount: 2 });
    dynamodb.on(BatchGetCommand).resolves({ Responses: { audit: [outboxItem(other), outboxItem(run)] } });

    const page = await new DynamoDbAuditQuery(client, 'audit').listRecords({
      ...base,
      patientId: 'p-001',
      filter: { actor: 'nurse-7', outcome: 'success' },
    });

    expect(dynamodb.commandCalls(QueryCommand)[0]?.args[0].input).toMatchObject({
      FilterExpression: '#outcome = :outcome',
      ExpressionAttributeValues: { ':partition': 'TENANT#t-acme#PATIENT#p-001', ':from': range.from },
    });
    expect(dynamodb.commandCalls(BatchGetCommand)[0]?.args[0].input.RequestItems?.audit?.Keys).toEqual([
      { PK: 'TENANT#t-acme', SK: `EVT#${run.time}#${run.id}` },
      { PK: 'TENANT#t-acme', SK: `EVT#${other.time}#${other.id}` },
    ]);
    expect(page.items.map((item) => item.id)).toEqual([run.id]);
  });

  it('asks again for keys BatchGet left unprocessed', async () => {
    const run = entry(5, records.pluginRun);
    const index = patientIndexItem({
      tenantId: 't-acme',
      patientId: 'p-001',
      event: run,
      action: 'plugin:invoked',
      outcome: 'success',
      operations: [],
    });
    const key = { PK: 'TENANT#t-acme', SK: `EVT#${run.time}#${run.id}` };
    dynamodb.on(QueryCommand).resolves({ Items: [index], ScannedCount: 1 });
    dynamodb
      .on(BatchGetCommand)
      .resolvesOnce({ Responses: { audit: [] }, UnprocessedKeys: { audit: { Keys: [key] } } })
      .resolvesOnce({ Responses: { audit: [outboxItem(run)] } });

    const page = await new DynamoDbAuditQuery(client, 'audit').listRecords({ ...base, patientId: 'p-001' });

    expect(dynamodb.commandCalls(BatchGetCommand)).toHaveLength(2);
    expect(page.items.map((item) => item.id)).toEqual([run.id]);
  });

  it('never follows an index pointer out of the tenant partition', async () => {
    const forged = {
      ...patientIndexItem({
        tenantId: 't-acme',
        patientId: 'p-001',
        event: { ...entry(5), tenantId: 't-globex' },
        action: 'plugin:invoked',
        outcome: 'success',
        operations: [],
      }),
    };
    dynamodb.on(QueryCommand).resolves({ Items: [forged], ScannedCount: 1 });

    const page = await new DynamoDbAuditQuery(client, 'audit').listRecords({ ...base, patientId: 'p-001' });

    expect(page.items).toEqual([]);
    expect(dynamodb.commandCalls(BatchGetCommand)).toHaveLength(0);
  });

  it('answers disclosures from index items of plugin runs', async () => {
    const run = entry(5, records.pluginRun);
    dynamodb.on(QueryCommand).resolves({
      Items: [
        patientIndexItem({
          tenantId: 't-acme',
          patientId: 'p-001',
          event: run,
          action: 'plugin:invoked',
          outcome: 'success',
          pluginId: 'lab-viewer',
          version: '1.2.0',
          publisherId: 'pub-acme',
          operations: ['patients.get', 'patients.update'],
        }),
      ],
      ScannedCount: 1,
    });

    const page = await new DynamoDbAuditQuery(client, 'audit').listDisclosures({
      tenantId: 't-acme',
      patientId: 'p-001',
      range,
      limit: 10,
    });

    expect(dynamodb.commandCalls(QueryCommand)[0]?.args[0].input.FilterExpression).toBe(
      'attribute_exists(pluginId)',
    );
    expect(page.items).toEqual([
      {
        at: run.time,
        pluginId: 'lab-viewer',
        version: '1.2.0',
        publisherId: 'pub-acme',
        operations: ['patients.get', 'patients.update'],
        outcome: 'success',
        recordId: run.id,
      },
    ]);
  });
});
