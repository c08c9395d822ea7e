import { QueryCommand } from '@aws-sdk/lib-dynamodb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startAuditStreamStack } from '../../../support/audit-stream-stack.ts';
import { outboxEntry } from '../../../support/outbox-delivery-harness.ts';

let stack: Awaited<ReturnType<typeof startAuditStreamStack>>;
beforeAll(async () => {
  stack = await startAuditStreamStack();
});
afterAll(() => stack?.stop());

describe('the outbox delivered from DynamoDB Local’s stream', () => {
  it('chains the committed records in the bucket, logs every entry, signs digests the verifier accepts', async () => {
    await stack.outbox.append([
      outboxEntry('r1'),
      outboxEntry('r2'),
      outboxEntry('v3', { name: 'plugin:installed' }),
    ]);
    await stack.outbox.append([
      outboxEntry('r4', { tenantId: 't-two' }),
      outboxEntry('r5', { tenantId: undefined }),
    ]);

    await stack.drain();
    expect(await stack.digest()).toEqual({ digested: 3, failed: 0 });
    await stack.outbox.append([outboxEntry('r6')]);
    await stack.drain();
    expect(await stack.digest()).toEqual({ digested: 1, failed: 0 });
    expect(await stack.digest()).toEqual({ digested: 0, failed: 0 });

    expect(await stack.chainStore.listRecordKeys('t-one')).toEqual([
      'audit-chain/t-one/records/000000000001.json',
      'audit-chain/t-one/records/000000000002.json',
      'audit-chain/t-one/records/000000000003.json',
    ]);
    expect(await stack.verify('t-one')).toEqual({ tenantId: 't-one', ok: true, records: 3, digests: 2 });
    expect(await stack.verify('t-two')).toMatchObject({ ok: true, records: 1, digests: 1 });
    expect(await stack.verify('_platform')).toMatchObject({ ok: true, records: 1, digests: 1 });
    expect((await stack.complianceLogIds()).sort()).toEqual(['r1', 'r2', 'r4', 'r5', 'r6', 'v3']);
  });

  it('skips the consumer’s own writes: chain heads and index items never reach it', async () => {
    const before = await stack.complianceLogIds();
    await stack.outbox.append([
      outboxEntry('r7', { name: 'audit:plugin:invoked', detail: { pluginId: 'p1', resourceIds: ['p-001'] } }),
    ]);

    await stack.drain();

    expect((await stack.complianceLogIds()).length).toBe(before.length + 1);
    const index = await stack.documentClient.send(
      new QueryCommand({
        TableName: stack.names.audit,
        KeyConditionExpression: 'PK = :pk',
        ExpressionAttributeValues: { ':pk': 'TENANT#t-one#PATIENT#p-001' },
      }),
    );
    expect(index.Items?.map((item) => item.recordId)).toEqual(['r7']);
  });
});
