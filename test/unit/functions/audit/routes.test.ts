import { describe, expect, it } from 'vitest';
import { auditRoutes } from '../../../../functions/audit/routes.ts';
import { AuditEventBundleSchema } from '../../../../shared/domain/audit-fhir/audit-event-schema.ts';
import { AuditRecordViewSchema } from '../../../../shared/domain/audit-query.ts';
import { toProblem } from '../../../../shared/http/problem.ts';
import { sampleRecords } from '../../../support/audit-query-records.ts';
import { InMemoryAuditQueryStore } from '../../../support/fakes/in-memory-audit-query-store.ts';
import { callRoute } from '../../../support/route-call.ts';
import { testCursorCodec } from '../../../support/test-cursors.ts';

const NOW = new Date('2026-12-01T12:00:00.000Z');
const caller = (tenantId: string) => ({
  tenantId: tenantId as never,
  userId: 'officer',
  scopes: new Set(['audit:read']),
});

function harness() {
  const store = new InMemoryAuditQueryStore();
  const records = sampleRecords('t-acme');
  Object.values(records).forEach((record, index) => {
    store.records.push({
      ...AuditRecordViewSchema.parse({
        ...record,
        id: `00000000-0000-4000-8000-00000000000${index}`,
        recordedAt: new Date(NOW.getTime() - (index + 1) * 60_000).toISOString(),
      }),
      tenantId: 't-acme',
    });
  });
  const routes = auditRoutes({ store, clock: { now: () => NOW }, cursors: testCursorCodec() });
  return { store, routes };
}

const problemOf = (call: Promise<unknown>) =>
  call.then(
    () => undefined,
    (error: unknown) => toProblem(error, 'req'),
  );

describe('GET /v1/audit', () => {
  it("pages the caller's tenant's records newest first with a sealed cursor", async () => {
    const { routes } = harness();

    const first = await callRoute(routes, 'GET /v1/audit', {
      caller: caller('t-acme'),
      query: { limit: '2' },
    });
    const body = first.body as { items: { id: string }[]; nextCursor: string };
    const second = await callRoute(routes, 'GET /v1/audit', {
      caller: caller('t-acme'),
      query: { limit: '2', cursor: body.nextCursor },
    });

    expect(body.items.map((item) => item.id)).toEqual([
      '00000000-0000-4000-8000-000000000000',
      '00000000-0000-4000-8000-000000000001',
    ]);
    expect(body.nextCursor).toMatch(/^v1\./);
    expect((second.body as { items: { id: string }[] }).items[0]?.id).toBe(
      '00000000-0000-4000-8000-000000000002',
    );
  });

  it('answers format=fhir as an application/fhir+json searchset with a next link', async () => {
    const { routes } = harness();

    const response = await callRoute(routes, 'GET /v1/audit', {
      caller: caller('t-acme'),
      query: { format: 'fhir', limit: '3' },
    });

    expect(response.headers?.['content-type']).toBe('application/fhir+json');
    const bundle = AuditEventBundleSchema.parse(response.body);
    expect(bundle.entry).toHaveLength(3);
    expect(bundle.link.map((link) => link.relation)).toEqual(['self', 'next']);
    expect(bundle.link[1]?.url).toMatch(/^\/v1\/audit\?.*format=fhir.*cursor=v1\./);
  });

  it('finds anomaly records by action=security:anomaly', async () => {
    const { routes } = harness();

    const response = await callRoute(routes, 'GET /v1/audit', {
      caller: caller('t-acme'),
      query: { action: 'security:anomaly' },
    });

    expect((response.body as { items: { action: string }[] }).items.map((item) => item.action)).toEqual([
      'security:anomaly',
    ]);
  });

  it('refuses a tenantId parameter instead of honouring it', async () => {
    const { routes, store } = harness();

    const problem = await problemOf(
      callRoute(routes, 'GET /v1/audit', { caller: caller('t-acme'), query: { tenantId: 't-globex' } }),
    );

    expect(problem).toMatchObject({ status: 400, code: 'VALIDATION_FAILED' });
    expect(store.recordQueries).toEqual([]);
  });

  it.each([
    [{ from: 'yesterday' }, 'query.from'],
    [{ from: '2026-12-01T10:00:00Z', to: '2026-12-01T09:00:00Z' }, 'query.to'],
    [{ from: '2025-01-01T00:00:00Z' }, 'query.from'],
    [{ limit: '201' }, 'query.limit'],
    [{ outcome: 'maybe' }, 'query.outcome'],
    [{ cursor: 'v1.forged.cursor' }, 'query.cursor'],
  ])('answers %o with a 400 naming %s', async (query, field) => {
    const { routes } = harness();

    const problem = await problemOf(callRoute(routes, 'GET /v1/audit', { caller: caller('t-acme'), query }));

    expect(problem?.status).toBe(400);
    expect(JSON.stringify(problem)).toContain(field);
  });

  it("does not open another tenant's cursor", async () => {
    const { routes } = harness();
    const first = await callRoute(routes, 'GET /v1/audit', {
      caller: caller('t-acme'),
      query: { limit: '1' },
    });

    const problem = await problemOf(
      callRoute(routes, 'GET /v1/audit', {
        caller: caller('t-globex'),
        query: { cursor: (first.body as { nextCursor: string }).nextCursor },
      }),
    );

    expect(problem).toMatchObject({ status: 400, code: 'INVALID_CURSOR' });
  });
});

describe('GET /v1/audit/patients/{patientId}/disclosures', () => {
  it("answers the patient's disclosures in the caller's tenant", async () => {
    const { routes, store } = harness();
    store.disclosures.push({
      tenantId: 't-acme',
      patientId: 'p-001',
      at: '2026-12-01T11:00:00.000Z',
      pluginId: 'lab-viewer',
      version: '1.2.0',
      operations: ['patients.get'],
      outcome: 'success',
      recordId: 'r1',
    });

    const response = await callRoute(routes, 'GET /v1/audit/patients/{patientId}/disclosures', {
      caller: caller('t-acme'),
      pathParameters: { patientId: 'p-001' },
    });

    expect(response.body).toEqual({
      items: [
        {
          at: '2026-12-01T11:00:00.000Z',
          pluginId: 'lab-viewer',
          version: '1.2.0',
          operations: ['patients.get'],
          outcome: 'success',
          recordId: 'r1',
        },
      ],
    });
    expect(store.disclosureQueries[0]).toMatchObject({ tenantId: 't-acme', patientId: 'p-001' });
  });
});
