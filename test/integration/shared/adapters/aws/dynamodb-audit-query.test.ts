import { PutCommand } from '@aws-sdk/lib-dynamodb';
import { beforeAll, describe, expect, it } from 'vitest';
import { auditRoutes } from '../../../../../functions/audit/routes.ts';
import { outboxItem } from '../../../../../shared/adapters/aws/audit-table-items.ts';
import { DynamoDbAuditQuery } from '../../../../../shared/adapters/aws/dynamodb-audit-query.ts';
import { encodeStartKey } from '../../../../../shared/adapters/aws/dynamodb-start-key.ts';
import type { AuditRecord, PlatformEvent } from '../../../../../shared/domain/platform-events.ts';
import { toProblem } from '../../../../../shared/http/problem.ts';
import { platformEvent } from '../../../../../shared/services/platform-event.ts';
import { auditEntryAt, patientIndexItemsOf, sampleRecords } from '../../../../support/audit-query-records.ts';
import { createTestTables } from '../../../../support/dynamodb-tables.ts';
import { callRoute } from '../../../../support/route-call.ts';
import { testCursorCodec } from '../../../../support/test-cursors.ts';

const NOW = new Date('2026-12-01T12:00:00.000Z');
const minutesAgo = (minutes: number) => new Date(NOW.getTime() - minutes * 60_000).toISOString();
const caller = (tenantId: string) => ({
  tenantId: tenantId as never,
  userId: 'officer',
  scopes: new Set(['audit:read']),
});

type Body = {
  items: { id: string; action: string; actor: string; tenantId?: string }[];
  nextCursor?: string;
};

describe('the audit query against DynamoDB Local', () => {
  let routes: ReturnType<typeof auditRoutes>;
  let store: DynamoDbAuditQuery;
  const acme = sampleRecords('t-acme');
  const globex = sampleRecords('t-globex');
  /** Acme's records, newest first: ids `a-<minutes ago>`. */
  const acmeEntries: PlatformEvent[] = [
    auditEntryAt(acme.anomaly, minutesAgo(1), 'a-01'),
    auditEntryAt(acme.pluginRun, minutesAgo(2), 'a-02'),
    auditEntryAt(acme.refusal, minutesAgo(3), 'a-03'),
    auditEntryAt(acme.lifecycle, minutesAgo(4), 'a-04'),
    auditEntryAt(acme.apiRequest, minutesAgo(5), 'a-05'),
    auditEntryAt(
      { ...acme.pluginRun, actor: 'nurse-9', outcome: 'failure' } as AuditRecord,
      minutesAgo(6),
      'a-06',
    ),
    auditEntryAt(acme.lifecycle, minutesAgo(60 * 30), 'a-old'),
  ];
  const globexEntries = Object.values(globex).map((record, index) =>
    auditEntryAt(record, minutesAgo(index + 1), `g-0${index + 1}`),
  );

  const get = async (tenantId: string, query: Record<string, string>) =>
    (await callRoute(routes, 'GET /v1/audit', { caller: caller(tenantId), query })).body as Body;
  const ids = (body: Body) => body.items.map((item) => item.id);

  beforeAll(async () => {
    const { names, documentClient } = await createTestTables();
    const put = (Item: Record<string, unknown>) =>
      documentClient.send(new PutCommand({ TableName: names.audit, Item }));
    // A plain event sits in the same partition; the audit query must never answer it.
    const event = platformEvent(
      'plugin:enabled',
      't-acme',
      { pluginId: 'lab-viewer' },
      {
        ids: { next: () => 'e-01' },
        clock: { now: () => new Date(minutesAgo(1)) },
      },
    );
    for (const entry of [...acmeEntries, ...globexEntries, event]) {
      await put(outboxItem(entry));
      for (const item of patientIndexItemsOf(entry)) await put(item);
    }
    store = new DynamoDbAuditQuery(documentClient, names.audit);
    routes = auditRoutes({ store, clock: { now: () => NOW }, cursors: testCursorCodec() });
  });

  it('answers the last 24 h of audit records of the caller’s tenant, newest first, no plain events', async () => {
    const body = await get('t-acme', {});

    expect(ids(body)).toEqual(['a-01', 'a-02', 'a-03', 'a-04', 'a-05', 'a-06']);
    expect(body.items.every((item) => item.tenantId === 't-acme')).toBe(true);
  });

  it('reaches older records with from', async () => {
    expect(ids(await get('t-acme', { from: minutesAgo(60 * 48) }))).toContain('a-old');
  });

  it.each([
    [{ pluginId: 'lab-viewer' }, ['a-01', 'a-02', 'a-03', 'a-04', 'a-06']],
    [{ patientId: 'p-002' }, ['a-02', 'a-06']],
    [{ patientId: 'p-002', actor: 'nurse-9' }, ['a-06']],
    [{ actor: 'nurse-7' }, ['a-02', 'a-03']],
    [{ action: 'security:anomaly' }, ['a-01']],
    [{ outcome: 'refused' }, ['a-03']],
    [{ pluginId: 'lab-viewer', outcome: 'failure' }, ['a-06']],
    [{ from: minutesAgo(4), to: minutesAgo(2) }, ['a-02', 'a-03', 'a-04']],
  ])('filters by %o', async (query, expected) => {
    expect(ids(await get('t-acme', query))).toEqual(expected);
  });

  it('pages with a sealed cursor through every index', async () => {
    for (const query of [
      {},
      { pluginId: 'lab-viewer' },
      { patientId: 'p-001' },
      { actor: 'nurse-7' },
    ] as Record<string, string>[]) {
      const seen: string[] = [];
      let cursor: string | undefined;
      do {
        const body = await get('t-acme', { ...query, limit: '1', ...(cursor ? { cursor } : {}) });
        seen.push(...ids(body));
        cursor = body.nextCursor;
      } while (cursor);

      expect(seen, JSON.stringify(query)).toEqual(ids(await get('t-acme', query)));
    }
  });

  it('answers FHIR for the same page', async () => {
    const response = await callRoute(routes, 'GET /v1/audit', {
      caller: caller('t-acme'),
      query: { format: 'fhir', patientId: 'p-001' },
    });

    expect(response.headers?.['content-type']).toBe('application/fhir+json');
    expect(
      (response.body as { entry: { resource: { id: string } }[] }).entry.map((entry) => entry.resource.id),
    ).toEqual(['a-02', 'a-06']);
  });

  it("answers a patient's disclosures: each plugin run with its operations", async () => {
    const response = await callRoute(routes, 'GET /v1/audit/patients/{patientId}/disclosures', {
      caller: caller('t-acme'),
      pathParameters: { patientId: 'p-001' },
    });

    expect(response.body).toEqual({
      items: [
        {
          at: minutesAgo(2),
          pluginId: 'lab-viewer',
          version: '1.2.0',
          publisherId: 'pub-acme',
          operations: ['patients.get', 'patients.update'],
          outcome: 'success',
          recordId: 'a-02',
        },
        expect.objectContaining({ recordId: 'a-06', outcome: 'failure' }),
      ],
    });
  });

  describe('tenant isolation', () => {
    it("never answers tenant B's records to tenant A, by any filter", async () => {
      for (const query of [
        {},
        { pluginId: 'lab-viewer' },
        { patientId: 'p-001' },
        { action: 'security:anomaly' },
      ] as Record<string, string>[]) {
        const body = await get('t-acme', query);
        expect(
          ids(body).some((id) => id.startsWith('g-')),
          JSON.stringify(query),
        ).toBe(false);
      }
      expect(ids(await get('t-globex', {}))).toEqual(['g-01', 'g-02', 'g-03', 'g-04', 'g-05']);
    });

    it("refuses tenant B's cursor for tenant A, and a position forged into B's partition", async () => {
      const globexCursor = (await get('t-globex', { limit: '1' })).nextCursor ?? '';
      const refused = await callRoute(routes, 'GET /v1/audit', {
        caller: caller('t-acme'),
        query: { cursor: globexCursor },
      }).catch((error: unknown) => toProblem(error, 'req'));

      const forged = await store
        .listRecords({
          tenantId: 't-acme',
          range: { from: minutesAgo(60), to: NOW.toISOString() },
          filter: {},
          limit: 10,
          cursor: encodeStartKey({ PK: 'TENANT#t-globex', SK: `EVT#${minutesAgo(1)}#g-01` }),
        })
        .catch((error: unknown) => error);

      expect(refused).toMatchObject({ status: 400, code: 'INVALID_CURSOR' });
      expect(forged).toMatchObject({ code: 'INVALID_CURSOR' });
    });

    it("answers no disclosures of tenant B's patient with the same id", async () => {
      const response = await callRoute(routes, 'GET /v1/audit/patients/{patientId}/disclosures', {
        caller: caller('t-acme'),
        pathParameters: { patientId: 'p-001' },
      });

      expect(JSON.stringify(response.body)).not.toMatch(/"g-0/);
    });
  });
});
