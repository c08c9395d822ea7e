import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PutCommand } from '@aws-sdk/lib-dynamodb';
import { beforeAll, describe, expect, inject, it } from 'vitest';
import { loadAuditConfig } from '../../functions/audit/config.ts';
import { createAuditHandler } from '../../functions/audit/wiring.ts';
import { outboxItem } from '../../shared/adapters/aws/audit-table-items.ts';
import { httpEvent } from '../support/api-gateway-events.ts';
import { auditEntryAt, patientIndexItemsOf, sampleRecords } from '../support/audit-query-records.ts';
import { createTestTables } from '../support/dynamodb-tables.ts';
import { createTestIssuer } from '../support/test-issuer.ts';

const base64Json = (value: unknown) => Buffer.from(JSON.stringify(value)).toString('base64url');

/**
 * A privacy officer of tenant A tries to read tenant B's audit trail through the audit function
 * (real handler, token verification, DynamoDB Local): by a tenantId parameter, by B's own cursor,
 * by a cursor hand-written into B's partition, by a patient id both tenants use, and by a token
 * without `audit:read`. Every attempt is a 4xx problem and no B record id ever appears.
 */
describe('audit query cross-tenant read', () => {
  let handler: ReturnType<typeof createAuditHandler>;
  let issuer: Awaited<ReturnType<typeof createTestIssuer>>;
  const now = Date.now();
  const at = (minutes: number) => new Date(now - minutes * 60_000).toISOString();

  const call = async (
    tenantId: string,
    path: string,
    query: Record<string, string> = {},
    scopes: readonly string[] = ['audit:read'],
  ) => {
    const token = await issuer.token(tenantId, scopes, 'officer');
    const isDisclosures = path.startsWith('/v1/audit/patients/');
    const response = await handler(
      httpEvent(isDisclosures ? 'GET /v1/audit/patients/{patientId}/disclosures' : 'GET /v1/audit', {
        path,
        headers: { authorization: `Bearer ${token}` },
        query,
        ...(isDisclosures ? { pathParameters: { patientId: path.split('/')[4] ?? '' } } : {}),
      }),
      {} as never,
    );
    return {
      status: response.statusCode,
      type: response.headers?.['content-type'],
      text: response.body ?? '',
      body: response.body ? JSON.parse(response.body) : undefined,
    };
  };
  const expectNoGlobexRecord = (text: string) => expect(text).not.toMatch(/globex-record|t-globex/);

  beforeAll(async () => {
    issuer = await createTestIssuer();
    const { names, documentClient } = await createTestTables();
    const seeds = [
      auditEntryAt(sampleRecords('t-acme').pluginRun, at(2), 'acme-record-1'),
      auditEntryAt(sampleRecords('t-acme').lifecycle, at(3), 'acme-record-2'),
      ...Object.values(sampleRecords('t-globex')).map((record, index) =>
        auditEntryAt(record, at(index + 1), `globex-record-${index}`),
      ),
    ];
    for (const entry of seeds)
      for (const Item of [outboxItem(entry), ...patientIndexItemsOf(entry)])
        await documentClient.send(new PutCommand({ TableName: names.audit, Item }));
    handler = createAuditHandler(
      loadAuditConfig({
        ...issuer.env,
        PLATFORM_MODE: 'local',
        PLUGINS_TABLE: names.plugins,
        MARKETPLACE_TABLE: names.marketplace,
        AUDIT_TABLE: names.audit,
        ARTIFACT_BUCKET: 'unused-artifacts',
        COMPLIANCE_LOG_BUCKET: 'unused-compliance',
        AWS_ENDPOINT_URL_DYNAMODB: inject('dynamodbEndpoint'),
        AWS_ENDPOINT_URL_S3: 'http://127.0.0.1:9',
        LOCAL_CURSOR_KEY_FILE: join(mkdtempSync(join(tmpdir(), 'audit-cursor-')), 'cursor-key.bin'),
        POWERTOOLS_LOG_LEVEL: 'SILENT',
      }),
    );
  });

  it("answers tenant A only A's records, with any filter", async () => {
    for (const query of [
      {},
      { pluginId: 'lab-viewer' },
      { patientId: 'p-001' },
      { action: 'security:anomaly' },
    ]) {
      const answer = await call('t-acme', '/v1/audit', query as Record<string, string>);

      expect(answer.status).toBe(200);
      expectNoGlobexRecord(answer.text);
    }
    // The officer's own reads are api:request records in A's trail; the seeded records besides them:
    const items = (await call('t-acme', '/v1/audit')).body.items as {
      id: string;
      action: string;
      tenantId: string;
    }[];
    expect(items.filter((item) => item.action !== 'api:request').map((item) => item.id)).toEqual([
      'acme-record-1',
      'acme-record-2',
    ]);
    expect(items.every((item) => item.tenantId === 't-acme')).toBe(true);
  });

  it('refuses a tenantId parameter', async () => {
    const answer = await call('t-acme', '/v1/audit', { tenantId: 't-globex' });

    expect(answer.status).toBe(400);
    expect(answer.type).toBe('application/problem+json');
    expectNoGlobexRecord(answer.text);
  });

  it("refuses B's genuine cursor and a cursor forged into B's partition", async () => {
    const globexCursor = (await call('t-globex', '/v1/audit', { limit: '1' })).body.nextCursor as string;
    const forgedPosition = base64Json({ PK: 'TENANT#t-globex', SK: `EVT#${at(1)}#globex-record-0` });

    for (const cursor of [globexCursor, `v1.${forgedPosition}.${'A'.repeat(43)}`, forgedPosition]) {
      const answer = await call('t-acme', '/v1/audit', { cursor });

      expect(answer.status).toBe(400);
      expect(answer.body).toMatchObject({ code: 'INVALID_CURSOR', errors: [{ field: 'query.cursor' }] });
      expectNoGlobexRecord(answer.text);
    }
  });

  it("answers A's disclosures of a patient id B also uses, and none of B's", async () => {
    const answer = await call('t-acme', '/v1/audit/patients/p-001/disclosures');

    expect(answer.status).toBe(200);
    expect(answer.body.items.map((item: { recordId: string }) => item.recordId)).toEqual(['acme-record-1']);
    expectNoGlobexRecord(answer.text);
  });

  it('refuses a token without audit:read', async () => {
    const answer = await call('t-acme', '/v1/audit', {}, ['plugins:admin', 'plugins:read']);

    expect(answer.status).toBe(403);
  });
});
