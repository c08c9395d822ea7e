import { describe, expect, it } from 'vitest';
import { type AuditRecordView, AuditRecordViewSchema } from '../../../../../shared/domain/audit-query.ts';
import { hasErrorCode } from '../../../../../shared/domain/errors/domain-error.ts';
import { listAuditRecords, listDisclosures } from '../../../../../shared/services/audit/query-audit.ts';
import { sampleRecords } from '../../../../support/audit-query-records.ts';
import { InMemoryAuditQueryStore } from '../../../../support/fakes/in-memory-audit-query-store.ts';

const NOW = new Date('2026-12-01T12:00:00.000Z');
const clock = { now: () => NOW };

function storeWith(...records: (AuditRecordView & { tenantId: string })[]) {
  const store = new InMemoryAuditQueryStore();
  store.records.push(...records);
  return store;
}

const view = (record: object, recordedAt: string, id: string) =>
  ({
    ...AuditRecordViewSchema.parse({ ...record, id, recordedAt }),
    tenantId: 't-acme',
  }) as AuditRecordView & {
    tenantId: string;
  };

describe('listAuditRecords', () => {
  const records = sampleRecords('t-acme');

  it('asks the store for the last 24 h of the tenant by default and answers newest first', async () => {
    const store = storeWith(
      view(records.lifecycle, '2026-12-01T08:00:00.000Z', 'older'),
      view(records.pluginRun, '2026-12-01T11:00:00.000Z', 'newer'),
      view(records.refusal, '2026-11-29T11:00:00.000Z', 'outside'),
    );

    const page = await listAuditRecords({ tenantId: 't-acme', limit: 50 }, { store, clock });

    expect(page.items.map((item) => item.id)).toEqual(['newer', 'older']);
    expect(store.recordQueries[0]?.range).toEqual({
      from: '2026-11-30T12:00:00.000Z',
      to: '2026-12-01T12:00:00.000Z',
    });
  });

  it('passes plugin, patient and exact filters on, and normalises offsets to UTC instants', async () => {
    const store = storeWith(view(records.anomaly, '2026-12-01T11:00:00.000Z', 'anomaly'));

    const page = await listAuditRecords(
      {
        tenantId: 't-acme',
        from: '2026-12-01T10:00:00+01:00',
        to: '2026-12-01T13:00:00+01:00',
        action: 'security:anomaly',
        pluginId: 'lab-viewer',
        limit: 10,
      },
      { store, clock },
    );

    expect(page.items.map((item) => item.id)).toEqual(['anomaly']);
    expect(store.recordQueries[0]).toMatchObject({
      tenantId: 't-acme',
      pluginId: 'lab-viewer',
      range: { from: '2026-12-01T09:00:00.000Z', to: '2026-12-01T12:00:00.000Z' },
      filter: { action: 'security:anomaly' },
    });
  });

  it('refuses a range that ends before it starts, naming to', async () => {
    const store = storeWith();

    const refused = await listAuditRecords(
      { tenantId: 't-acme', from: '2026-12-01T10:00:00Z', to: '2026-12-01T09:00:00Z', limit: 1 },
      { store, clock },
    ).catch((error: unknown) => error);

    expect(hasErrorCode(refused, 'VALIDATION_FAILED')).toBe(true);
    expect(refused).toMatchObject({ field: 'to' });
    expect(store.recordQueries).toEqual([]);
  });

  it('refuses a range beyond the retention of the table, naming from', async () => {
    const refused = await listAuditRecords(
      { tenantId: 't-acme', from: '2025-10-01T00:00:00Z', limit: 1 },
      { store: storeWith(), clock },
    ).catch((error: unknown) => error);

    expect(refused).toMatchObject({ code: 'VALIDATION_FAILED', field: 'from' });
    expect(String((refused as Error).message) + JSON.stringify(refused)).toMatch(/400 days/);
  });
});

describe('listDisclosures', () => {
  it("answers one patient's plugin runs in the range, newest first", async () => {
    const store = new InMemoryAuditQueryStore();
    const entry = {
      pluginId: 'lab-viewer',
      version: '1.2.0',
      operations: ['patients.get'],
      outcome: 'success' as const,
    };
    store.disclosures.push(
      { ...entry, tenantId: 't-acme', patientId: 'p-001', at: '2026-12-01T09:00:00.000Z', recordId: 'r1' },
      { ...entry, tenantId: 't-acme', patientId: 'p-001', at: '2026-12-01T10:00:00.000Z', recordId: 'r2' },
      { ...entry, tenantId: 't-acme', patientId: 'p-002', at: '2026-12-01T10:00:00.000Z', recordId: 'r3' },
      { ...entry, tenantId: 't-other', patientId: 'p-001', at: '2026-12-01T10:00:00.000Z', recordId: 'r4' },
    );

    const page = await listDisclosures(
      { tenantId: 't-acme', patientId: 'p-001', limit: 50 },
      { store, clock },
    );

    expect(page.items.map((item) => item.recordId)).toEqual(['r2', 'r1']);
  });

  it('judges the range as the record query does', async () => {
    const refused = await listDisclosures(
      { tenantId: 't-acme', patientId: 'p-001', to: '2024-01-01T00:00:00Z', limit: 1 },
      { store: new InMemoryAuditQueryStore(), clock },
    ).catch((error: unknown) => error);

    expect(refused).toMatchObject({ code: 'VALIDATION_FAILED', field: 'to' });
  });
});
