import { DynamoDBClient, TransactionCanceledException } from '@aws-sdk/client-dynamodb';
import { BatchGetCommand, DynamoDBDocumentClient, TransactWriteCommand } from '@aws-sdk/lib-dynamodb';
import { mockClient } from 'aws-sdk-client-mock';
import { beforeEach, describe, expect, it, vi } from 'vitest';
import { DynamoDbRunLedger } from '../../../../../shared/adapters/aws/dynamodb-run-ledger.ts';
import { DynamoDbUsageCounters } from '../../../../../shared/adapters/aws/dynamodb-usage-counters.ts';
import { runSlotKey } from '../../../../../shared/adapters/aws/plugins-table-usage-keys.ts';
import { PluginIdSchema, TenantIdSchema } from '../../../../../shared/domain/identifiers.ts';
import type { PlatformEvent } from '../../../../../shared/domain/platform-events.ts';
import type { OutboxEntries } from '../../../../../shared/ports/outbox.ts';
import type { RunLeaseStore } from '../../../../../shared/ports/run-lease-store.ts';
import type { UsageRepository } from '../../../../../shared/ports/usage-repository.ts';
import { anInstallation } from '../../../../support/installation-factory.ts';

const client = DynamoDBDocumentClient.from(new DynamoDBClient({ region: 'us-east-1' }));
const dynamodb = mockClient(client);
const clock = { now: () => new Date(Date.UTC(2030, 0, 1, 12)) };
const acme = TenantIdSchema.parse('t-acme');
const reader = PluginIdSchema.parse('reader');
const usageRecord = {
  tenantId: acme,
  pluginId: reader,
  version: '1.0.0',
  at: clock.now().toISOString(),
  ok: true,
  usage: { wallMs: 5, cpuMs: 1, peakHeapBytes: 100, dataCalls: 1, networkCalls: 0, storageBytes: 0 },
  touchedPatientIds: ['p-1'],
};
const lease = { tenantId: 't-acme', slot: 3, token: 'token-1' };

describe('DynamoDbRunLedger (aws-sdk-client-mock)', () => {
  const usage = { record: vi.fn(async () => undefined) } as unknown as UsageRepository;
  const leases = { release: vi.fn(async () => undefined) } as unknown as RunLeaseStore;
  const counters = new DynamoDbUsageCounters({ client, tableName: 'plugins', clock });
  const outbox = { append: vi.fn(async (_entries: OutboxEntries) => undefined) };
  const ledger = new DynamoDbRunLedger({
    client,
    tableName: 'plugins',
    auditTableName: 'audit',
    outbox,
    usage,
    leases,
    counters,
    clock,
  });

  beforeEach(() => {
    dynamodb.reset();
    vi.clearAllMocks();
  });

  it('asks again for keys the batch left unprocessed, and reads each item once', async () => {
    const installation = anInstallation({ tenantId: 't-acme', pluginId: 'reader' });
    dynamodb
      .on(BatchGetCommand)
      .resolvesOnce({
        Responses: { plugins: [] },
        UnprocessedKeys: { plugins: { Keys: [{ PK: 'TENANT#t-acme', SK: 'INSTALL#reader' }] } },
      })
      .resolvesOnce({
        Responses: { plugins: [{ PK: 'TENANT#t-acme', SK: 'INSTALL#reader', data: installation }] },
      });

    const context = await ledger.readContext(acme, reader);

    const calls = dynamodb.commandCalls(BatchGetCommand);
    expect(calls).toHaveLength(2);
    expect(calls[1]?.args[0].input.RequestItems?.plugins?.Keys).toEqual([
      { PK: 'TENANT#t-acme', SK: 'INSTALL#reader' },
    ]);
    expect(context.installation?.pluginId).toBe('reader');
  });

  it('settles usage, lease and CPU refunds in one transaction, one update per counter bucket', async () => {
    dynamodb.on(TransactWriteCommand).resolves({});
    const at = clock.now().getTime() - 1_000;

    await ledger.settle({
      usage: usageRecord,
      lease,
      refunds: [
        { key: 't-acme/reader/cpuMs', amount: 20, windowMs: 60_000, at },
        { key: 't-acme/reader/cpuMs', amount: 5, windowMs: 60_000, at },
      ],
      outbox: [],
    });

    const items = dynamodb.commandCalls(TransactWriteCommand)[0]?.args[0].input.TransactItems ?? [];
    expect(items).toHaveLength(6);
    expect(items[2]?.Update?.ExpressionAttributeValues).toEqual({ ':refund': -25, ':amount': 25 });
    expect(usage.record).not.toHaveBeenCalled();
  });

  it('adds the run to its minute, hour and day buckets in the same transaction, unconditionally', async () => {
    dynamodb.on(TransactWriteCommand).resolves({});

    await ledger.settle({
      usage: { ...usageRecord, ok: false, isLimitBreach: true },
      lease,
      refunds: [],
      outbox: [],
    });

    const items = dynamodb.commandCalls(TransactWriteCommand)[0]?.args[0].input.TransactItems ?? [];
    const buckets = items.slice(2).map((item) => item.Update);
    expect(buckets.map((update) => update?.Key)).toEqual([
      {
        PK: 'TENANT#t-acme',
        SK: `USAGEBUCKET#reader#minute#${String(Date.UTC(2030, 0, 1, 12)).padStart(16, '0')}`,
      },
      {
        PK: 'TENANT#t-acme',
        SK: `USAGEBUCKET#reader#hour#${String(Date.UTC(2030, 0, 1, 12)).padStart(16, '0')}`,
      },
      { PK: 'TENANT#t-acme', SK: `USAGEBUCKET#reader#day#${String(Date.UTC(2030, 0, 1)).padStart(16, '0')}` },
    ]);
    for (const update of buckets) {
      expect(update?.ConditionExpression).toBeUndefined();
      expect(update?.UpdateExpression).toContain(
        'ADD invocations :one, failures :failed, limitBreaches :breached',
      );
      expect(update?.ExpressionAttributeValues).toMatchObject({
        ':one': 1,
        ':failed': 1,
        ':breached': 1,
        ':heap': new Set([65_536]),
        ':wallMs': 5,
        ':cpuMs': 1,
      });
    }
    expect(buckets[2]?.ExpressionAttributeValues?.[':start']).toBe('2030-01-01T00:00:00.000Z');
  });

  it("commits the usage, lease release, refunds and the run's outbox entries in one TransactWriteCommand", async () => {
    dynamodb.on(TransactWriteCommand).resolves({});
    const at = clock.now().getTime() - 1_000;

    await ledger.settle({
      usage: usageRecord,
      lease,
      refunds: [{ key: 't-acme/reader/cpuMs', amount: 20, windowMs: 60_000, at }],
      outbox: [runRecordEntry('e-1'), anEvent('e-2')],
    });

    const calls = dynamodb.commandCalls(TransactWriteCommand);
    expect(calls).toHaveLength(1);
    const items = calls[0]?.args[0].input.TransactItems ?? [];
    expect(items[0]?.Update?.TableName).toBe('plugins');
    expect(items[1]?.Delete?.Key).toEqual({ PK: 'TENANT#t-acme', SK: runSlotKey(3) });
    expect(items[2]?.Update?.ExpressionAttributeValues).toMatchObject({ ':refund': -20 });
    const puts = items.filter((item) => item.Put).map((item) => item.Put);
    expect(puts.map((put) => [put?.TableName, put?.Item?.SK, put?.ConditionExpression])).toEqual([
      ['audit', 'EVT#2030-01-01T12:00:00.000Z#e-1', 'attribute_not_exists(PK)'],
      ['audit', 'EVT#2030-01-01T12:00:00.000Z#e-2', 'attribute_not_exists(PK)'],
    ]);
    expect(puts[0]?.Item).toMatchObject({ kind: 'audit', action: 'plugin:invoked', PK: 'TENANT#t-acme' });
    expect(outbox.append).not.toHaveBeenCalled();
  });

  it('appends the entries beyond the 100-item limit before it answers, the record kept in the transaction', async () => {
    dynamodb.on(TransactWriteCommand).resolves({});
    const entries = [runRecordEntry('e-0'), ...Array.from({ length: 150 }, (_, n) => anEvent(`e-${n + 1}`))];

    await ledger.settle({ usage: usageRecord, lease, refunds: [], outbox: entries });

    const items = dynamodb.commandCalls(TransactWriteCommand)[0]?.args[0].input.TransactItems ?? [];
    expect(items).toHaveLength(100);
    expect(items.find((item) => item.Put)?.Put?.Item?.SK).toContain('#e-0');
    const puts = items.filter((item) => item.Put).length;
    const appended = outbox.append.mock.calls.flatMap(([chunk]) => chunk);
    expect(outbox.append.mock.calls.every(([chunk]) => chunk.length <= 100)).toBe(true);
    expect(puts + appended.length).toBe(151);
    expect(appended.map((entry) => entry.id)).toEqual(entries.slice(puts).map((entry) => entry.id));
  });

  it('rejects when the overflow cannot be appended, so the caller fails closed', async () => {
    dynamodb.on(TransactWriteCommand).resolves({});
    outbox.append.mockRejectedValueOnce(new Error('throttled'));
    const entries = Array.from({ length: 120 }, (_, n) => anEvent(`e-${n}`));

    await expect(ledger.settle({ usage: usageRecord, lease, refunds: [], outbox: entries })).rejects.toThrow(
      'throttled',
    );
  });

  it('falls back to the separate writes when a condition cancels the transaction, the entries appended too', async () => {
    dynamodb
      .on(TransactWriteCommand)
      .rejects(new TransactionCanceledException({ message: 'cancelled', $metadata: {} }));
    const entries = [runRecordEntry('e-1')];

    await ledger.settle({ usage: usageRecord, lease, refunds: [], outbox: entries });

    expect(usage.record).toHaveBeenCalledWith(usageRecord);
    expect(leases.release).toHaveBeenCalledWith(lease);
    expect(outbox.append).toHaveBeenCalledWith(entries);
  });

  it('rejects when the fallback cannot append the entries', async () => {
    dynamodb
      .on(TransactWriteCommand)
      .rejects(new TransactionCanceledException({ message: 'cancelled', $metadata: {} }));
    outbox.append.mockRejectedValueOnce(new Error('audit table unavailable'));

    await expect(
      ledger.settle({ usage: usageRecord, lease, refunds: [], outbox: [runRecordEntry('e-1')] }),
    ).rejects.toThrow('audit table unavailable');
  });
});

function runRecordEntry(id: string): PlatformEvent {
  return {
    id,
    name: 'audit:plugin:invoked',
    time: clock.now().toISOString(),
    tenantId: 't-acme',
    detail: { action: 'plugin:invoked', outcome: 'success', actor: 't-acme/user-1', pluginId: 'reader' },
  };
}

function anEvent(id: string): PlatformEvent {
  return {
    id,
    name: 'plugin-event:reader:done',
    time: clock.now().toISOString(),
    tenantId: 't-acme',
    detail: { pluginId: 'reader', name: 'plugin-event:reader:done', data: null, depth: 1 },
  };
}
