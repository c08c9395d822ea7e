import { beforeAll, describe, expect, it, vi } from 'vitest';
import { DynamoDbOutbox } from '../../../../../shared/adapters/aws/audit-table-items.ts';
import { DynamoDbRunLeaseStore } from '../../../../../shared/adapters/aws/dynamodb-run-lease-store.ts';
import { DynamoDbRunLedger } from '../../../../../shared/adapters/aws/dynamodb-run-ledger.ts';
import { USAGE_BUCKET_RETENTION_MS } from '../../../../../shared/adapters/aws/dynamodb-usage-buckets.ts';
import { DynamoDbUsageCounters } from '../../../../../shared/adapters/aws/dynamodb-usage-counters.ts';
import {
  DynamoDbUsageRepository,
  MAX_TOUCHED_PATIENT_IDS,
} from '../../../../../shared/adapters/aws/dynamodb-usage-repository.ts';
import { createTestTables } from '../../../../support/dynamodb-tables.ts';
import { anInvocationRecord } from '../../../../support/invocation-record-factory.ts';

const invocation = anInvocationRecord;

describe('DynamoDbUsageRepository against DynamoDB Local', () => {
  let usage: DynamoDbUsageRepository;
  let runLedger: DynamoDbRunLedger;
  let leases: DynamoDbRunLeaseStore;
  let clockNow = new Date('2030-01-01T12:00:00.000Z');

  beforeAll(async () => {
    const { names, documentClient } = await createTestTables();
    const clock = { now: () => clockNow };
    const tables = { client: documentClient, tableName: names.plugins };
    usage = new DynamoDbUsageRepository({ ...tables, clock });
    leases = new DynamoDbRunLeaseStore({ ...tables, clock });
    const counters = new DynamoDbUsageCounters({ ...tables, clock });
    runLedger = new DynamoDbRunLedger({
      ...tables,
      auditTableName: names.audit,
      outbox: new DynamoDbOutbox(documentClient, names.audit),
      usage,
      leases,
      counters,
      clock,
    });
  });

  it('adds settled runs to minute, hour and day buckets and reads one window of them back', async () => {
    const runs = [
      { at: '2030-03-01T09:59:59.999Z', peakHeapBytes: 1 },
      { at: '2030-03-01T10:00:00.000Z', peakHeapBytes: 70_000 },
      { at: '2030-03-01T10:00:30.000Z', peakHeapBytes: 10, ok: false, isLimitBreach: true },
      { at: '2030-03-01T10:05:00.000Z', peakHeapBytes: 200_000 },
      { at: '2030-03-01T11:00:00.000Z', peakHeapBytes: 5 },
    ];
    const fallback = vi.spyOn(usage, 'record');
    for (const run of runs) {
      const claim = await leases.acquire({
        tenantId: 't-buckets',
        capacity: 1,
        leaseMs: 15_000,
        expectedRunMs: 5_000,
        holder: 'req',
      });
      if (claim.status !== 'acquired') throw new Error('the test lease was not acquired');
      const { lease } = claim;
      await runLedger.settle({
        usage: invocation({
          tenantId: 't-buckets',
          at: run.at,
          ok: run.ok ?? true,
          isLimitBreach: run.isLimitBreach,
          usage: {
            wallMs: 10,
            cpuMs: 2,
            peakHeapBytes: run.peakHeapBytes,
            dataCalls: 3,
            networkCalls: 1,
            storageBytes: 0,
          },
        }),
        lease,
        refunds: [],
        outbox: [],
      });
    }
    fallback.mockRestore();
    const at = (iso: string) => Date.parse(iso);

    const minutes = await usage.series('t-buckets', 'reminders', {
      interval: 'minute',
      fromMs: at('2030-03-01T10:00:00.000Z'),
      toMs: at('2030-03-01T11:00:00.000Z'),
    });
    const hours = await usage.series('t-buckets', 'reminders', {
      interval: 'hour',
      fromMs: at('2030-03-01T09:00:00.000Z'),
      toMs: at('2030-03-01T12:00:00.000Z'),
    });
    const days = await usage.series('t-buckets', 'reminders', {
      interval: 'day',
      fromMs: at('2030-03-01T00:00:00.000Z'),
      toMs: at('2030-03-02T00:00:00.000Z'),
    });

    expect(fallback).not.toHaveBeenCalled();
    expect(minutes.map((bucket) => [bucket.start, bucket.invocations, bucket.peakHeapBytes])).toEqual([
      ['2030-03-01T10:00:00.000Z', 2, 131_072],
      ['2030-03-01T10:05:00.000Z', 1, 262_144],
    ]);
    expect(minutes[0]).toMatchObject({ failures: 1, limitBreaches: 1, wallMs: 20, cpuMs: 4, dataCalls: 6 });
    expect(hours.map((bucket) => [bucket.start, bucket.invocations])).toEqual([
      ['2030-03-01T09:00:00.000Z', 1],
      ['2030-03-01T10:00:00.000Z', 3],
      ['2030-03-01T11:00:00.000Z', 1],
    ]);
    expect(days).toEqual([
      {
        start: '2030-03-01T00:00:00.000Z',
        invocations: 5,
        failures: 1,
        limitBreaches: 1,
        wallMs: 50,
        cpuMs: 10,
        peakHeapBytes: 262_144,
        dataCalls: 15,
        networkCalls: 5,
      },
    ]);
  });

  it('leaves expired buckets out of a window (DynamoDB Local never deletes them)', async () => {
    await usage.record(invocation({ tenantId: 't-expired', at: '2030-01-01T10:00:00.000Z' }));
    const window = {
      interval: 'minute' as const,
      fromMs: Date.parse('2030-01-01T10:00:00.000Z'),
      toMs: Date.parse('2030-01-01T10:01:00.000Z'),
    };
    const before = await usage.series('t-expired', 'reminders', window);

    clockNow = new Date(Date.parse('2030-01-01T10:00:00.000Z') + USAGE_BUCKET_RETENTION_MS.minute);
    const after = await usage.series('t-expired', 'reminders', window);
    clockNow = new Date('2030-01-01T12:00:00.000Z');

    expect(before).toHaveLength(1);
    expect(after).toEqual([]);
  });

  it('counts every one of many concurrent invocations, per version', async () => {
    await Promise.all([
      ...Array.from({ length: 20 }, (_, index) => usage.record(invocation({ ok: index % 4 !== 0 }))),
      ...Array.from({ length: 5 }, () =>
        usage.record(
          invocation({
            version: '1.1.0',
            at: '2030-01-02T10:00:00.000Z',
            errorCode: 'PluginError',
            ok: false,
          }),
        ),
      ),
    ]);

    const summary = await usage.summarize('t-acme', 'reminders');

    expect(summary.invocations).toBe(25);
    expect(summary.failures).toBe(10);
    expect(summary.totals).toEqual({
      wallMs: 250,
      cpuMs: 50,
      peakHeapBytes: 25_000,
      dataCalls: 75,
      networkCalls: 25,
      storageBytes: 1_250,
    });
    expect(summary.byVersion).toEqual({
      '1.0.0': { invocations: 20, failures: 5 },
      '1.1.0': { invocations: 5, failures: 5 },
    });
    expect(summary.lastInvokedAt).toBe('2030-01-02T10:00:00.000Z');
  });

  it('answers an empty summary for a plugin that never ran', async () => {
    const summary = await usage.summarize('t-acme', 'never-ran');

    expect(summary).toMatchObject({ invocations: 0, failures: 0, byVersion: {} });
  });

  it('lists every tenant that ran a version with its touched patient ids (the blast radius)', async () => {
    await usage.record(
      invocation({ tenantId: 't-acme', pluginId: 'radius', touchedPatientIds: ['p-1', 'p-2'] }),
    );
    await usage.record(
      invocation({ tenantId: 't-acme', pluginId: 'radius', touchedPatientIds: ['p-2', 'p-3'] }),
    );
    await usage.record(invocation({ tenantId: 't-globex', pluginId: 'radius', touchedPatientIds: ['g-9'] }));
    await usage.record(invocation({ tenantId: 't-initech', pluginId: 'radius', version: '2.0.0' }));

    const radius = await usage.blastRadius('radius', '1.0.0');

    expect(radius.sort((a, b) => a.tenantId.localeCompare(b.tenantId))).toEqual([
      { tenantId: 't-acme', invocations: 2, patientIds: ['p-1', 'p-2', 'p-3'] },
      { tenantId: 't-globex', invocations: 1, patientIds: ['g-9'] },
    ]);
  });

  it('caps the touched patient ids without losing the invocation counts', async () => {
    const batches = Math.ceil(MAX_TOUCHED_PATIENT_IDS / 100) + 2;
    for (let batch = 0; batch < batches; batch++) {
      const ids = Array.from({ length: 100 }, (_, index) => `p-${batch}-${index}`);
      await usage.record(invocation({ pluginId: 'capped', touchedPatientIds: ids }));
    }

    const [entry] = await usage.blastRadius('capped', '1.0.0');

    expect(entry?.invocations).toBe(batches);
    expect(entry?.patientIds.length).toBeLessThanOrEqual(MAX_TOUCHED_PATIENT_IDS + 100);
    expect(entry?.patientIds.length).toBeGreaterThanOrEqual(MAX_TOUCHED_PATIENT_IDS);
  });
});
