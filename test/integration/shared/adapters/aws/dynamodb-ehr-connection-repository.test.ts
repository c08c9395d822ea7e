import { randomUUID } from 'node:crypto';
import { QueryCommand } from '@aws-sdk/lib-dynamodb';
import { beforeAll, describe, expect, it } from 'vitest';
import { DynamoDbEhrConnectionRepository } from '../../../../../shared/adapters/aws/dynamodb-ehr-connection-repository.ts';
import type { EhrConnection } from '../../../../../shared/domain/ehr-connection.ts';
import { TenantIdSchema } from '../../../../../shared/domain/identifiers.ts';
import { auditEvent } from '../../../../../shared/services/audit/audit-trail.ts';
import { createTestTables } from '../../../../support/dynamodb-tables.ts';

const connectionOf = (tenantId: string, version: number): EhrConnection => ({
  fhirBaseUrl: 'https://ehr.example.org/fhir/R4',
  clientId: 'gradiant',
  scopes: ['system/Patient.rs'],
  signingAlgorithm: 'ES384',
  tenantId,
  keyId: 'kid-1',
  resolvedTokenEndpoint: 'https://ehr.example.org/oauth/token',
  version,
  createdAt: '2026-12-02T10:00:00.000Z',
  updatedAt: '2026-12-02T10:00:00.000Z',
  updatedBy: 'admin-1',
});

const recordFor = (tenantId: string) =>
  auditEvent(
    { action: 'ehr-connection:updated', outcome: 'success', actor: `user:${tenantId}:admin-1`, tenantId },
    { ids: { next: () => randomUUID() }, clock: { now: () => new Date() } },
  );

describe('DynamoDbEhrConnectionRepository against DynamoDB Local', () => {
  let repository: DynamoDbEhrConnectionRepository;
  let tables: Awaited<ReturnType<typeof createTestTables>>;

  const outboxEntriesOf = async (tenantId: string) =>
    (
      await tables.documentClient.send(
        new QueryCommand({
          TableName: tables.names.audit,
          KeyConditionExpression: 'PK = :pk AND begins_with(SK, :evt)',
          ExpressionAttributeValues: { ':pk': `TENANT#${tenantId}`, ':evt': 'EVT#' },
        }),
      )
    ).Items?.length ?? 0;

  beforeAll(async () => {
    tables = await createTestTables();
    repository = new DynamoDbEhrConnectionRepository(
      tables.documentClient,
      tables.names.plugins,
      tables.names.audit,
    );
  });

  it('answers undefined for a tenant without a connection', async () => {
    expect(await repository.get(TenantIdSchema.parse('t-none'))).toBeUndefined();
  });

  it('stores a versioned connection with its outbox entry in one transaction', async () => {
    const tenantId = TenantIdSchema.parse('t-store');

    const stored = await repository.put(connectionOf(tenantId, 1), 0, [recordFor(tenantId)]);

    expect(stored.version).toBe(1);
    expect(await repository.get(tenantId)).toEqual(stored);
    expect(await outboxEntriesOf(tenantId)).toBe(1);
  });

  it('lets exactly one of concurrent writers at the same version win, and commits only its record', async () => {
    const tenantId = TenantIdSchema.parse('t-race');
    await repository.put(connectionOf(tenantId, 1), 0, []);

    const outcomes = await Promise.allSettled(
      Array.from({ length: 5 }, (_, index) =>
        repository.put({ ...connectionOf(tenantId, 2), clientId: `c-${index}` }, 1, [recordFor(tenantId)]),
      ),
    );

    expect(outcomes.filter((outcome) => outcome.status === 'fulfilled')).toHaveLength(1);
    expect(
      outcomes.filter((o) => o.status === 'rejected').map((o) => (o as PromiseRejectedResult).reason.code),
    ).toEqual(Array(4).fill('CONCURRENT_MODIFICATION'));
    expect((await repository.get(tenantId))?.version).toBe(2);
    expect(await outboxEntriesOf(tenantId)).toBe(1);
  });

  it('refuses a create when one exists (expected version 0)', async () => {
    const tenantId = TenantIdSchema.parse('t-twice');
    await repository.put(connectionOf(tenantId, 1), 0, []);

    await expect(repository.put(connectionOf(tenantId, 1), 0, [])).rejects.toMatchObject({
      code: 'CONCURRENT_MODIFICATION',
    });
  });
});
