import { beforeAll, describe, expect, it } from 'vitest';
import {
  DynamoDbUsageRepository,
  MAX_TOUCHED_PATIENT_IDS,
} from '../../../../../shared/adapters/aws/dynamodb-usage-repository.ts';
import type { InvocationRecord } from '../../../../../shared/ports/usage-repository.ts';
import { createTestTables } from '../../../../support/dynamodb-tables.ts';

function invocation(overrides: Partial<InvocationRecord> = {}): InvocationRecord {
  return {
    tenantId: 't-acme',
    pluginId: 'reminders',
    version: '1.0.0',
    at: '2030-01-01T10:00:00.000Z',
    ok: true,
    usage: { wallMs: 10, cpuMs: 2, peakHeapBytes: 1_000, dataCalls: 3, networkCalls: 1, storageBytes: 50 },
    touchedPatientIds: [],
    ...overrides,
  };
}

describe('DynamoDbUsageRepository against DynamoDB Local', () => {
  let usage: DynamoDbUsageRepository;

  beforeAll(async () => {
    const { names, documentClient } = await createTestTables();
    usage = new DynamoDbUsageRepository({ client: documentClient, tableName: names.plugins });
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
