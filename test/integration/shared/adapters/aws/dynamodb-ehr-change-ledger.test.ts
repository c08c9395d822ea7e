import { type DynamoDBDocumentClient, QueryCommand } from '@aws-sdk/lib-dynamodb';
import { beforeAll, describe, expect, it } from 'vitest';
import { auditPartition, OUTBOX_SORT_PREFIX } from '../../../../../shared/adapters/aws/audit-table-items.ts';
import { DynamoDbEhrChangeLedger } from '../../../../../shared/adapters/aws/dynamodb-ehr-change-ledger.ts';
import type { SeenVersion } from '../../../../../shared/domain/ehr-change.ts';
import { TenantIdSchema } from '../../../../../shared/domain/identifiers.ts';
import { platformEvent } from '../../../../../shared/services/platform-event.ts';
import { createTestTables } from '../../../../support/dynamodb-tables.ts';

const TENANT = TenantIdSchema.parse('t-ledger');
const sources = { ids: { next: () => crypto.randomUUID() }, clock: { now: () => new Date() } };
const appointment = (versionId: string, status: 'booked' | 'cancelled'): SeenVersion => ({
  type: 'Appointment',
  id: 'a-1',
  versionId,
  patientId: 'p-1',
  snapshot: { status, start: '2026-12-03T09:00:00Z', end: '2026-12-03T09:30:00Z' },
});

/** The change ledger against DynamoDB Local: a claim and its events in one transaction. */
describe('DynamoDbEhrChangeLedger', () => {
  let client: DynamoDBDocumentClient;
  let auditTable: string;
  let ledger: DynamoDbEhrChangeLedger;

  beforeAll(async () => {
    const { names, documentClient } = await createTestTables();
    client = documentClient;
    auditTable = names.audit;
    ledger = new DynamoDbEhrChangeLedger(documentClient, names.plugins, names.audit);
  });

  const outboxEvents = async () => {
    const result = await client.send(
      new QueryCommand({
        TableName: auditTable,
        KeyConditionExpression: 'PK = :pk AND begins_with(SK, :sk)',
        ExpressionAttributeValues: { ':pk': auditPartition(TENANT), ':sk': OUTBOX_SORT_PREFIX },
      }),
    );
    return result.Items ?? [];
  };

  it('claims a first version with its event, then refuses the same claim again', async () => {
    const event = platformEvent('appointment:scheduled', TENANT, { appointmentId: 'a-1' }, sources);

    const first = await ledger.claim(TENANT, appointment('1', 'booked'), undefined, [event]);
    const again = await ledger.claim(TENANT, appointment('1', 'booked'), undefined, [
      platformEvent('appointment:scheduled', TENANT, { appointmentId: 'a-1' }, sources),
    ]);

    expect([first, again]).toEqual([true, false]);
    expect(await ledger.lastSeen(TENANT, 'Appointment', 'a-1')).toEqual({
      type: 'Appointment',
      id: 'a-1',
      versionId: '1',
      snapshot: { status: 'booked', start: '2026-12-03T09:00:00Z', end: '2026-12-03T09:30:00Z' },
    });
    expect(await outboxEvents()).toHaveLength(1);
  });

  it('moves on only from the version it was read at; a lost claim writes no event', async () => {
    const won = await ledger.claim(TENANT, appointment('2', 'cancelled'), '1', [
      platformEvent('appointment:cancelled', TENANT, { appointmentId: 'a-1' }, sources),
    ]);
    const stale = await ledger.claim(TENANT, appointment('3', 'booked'), '1', [
      platformEvent('appointment:scheduled', TENANT, { appointmentId: 'a-1' }, sources),
    ]);

    expect([won, stale]).toEqual([true, false]);
    expect((await ledger.lastSeen(TENANT, 'Appointment', 'a-1'))?.versionId).toBe('2');
    expect((await outboxEvents()).map((item) => item.name).sort()).toEqual([
      'appointment:cancelled',
      'appointment:scheduled',
    ]);
  });

  it('claims a version with no event as a plain conditional write', async () => {
    const patient: SeenVersion = { type: 'Patient', id: 'p-9', versionId: 'v-a', patientId: 'p-9' };

    expect(await ledger.claim(TENANT, patient, undefined, [])).toBe(true);
    expect(await ledger.claim(TENANT, patient, undefined, [])).toBe(false);
    expect(await ledger.lastSeen(TENANT, 'Patient', 'p-9')).toEqual({
      type: 'Patient',
      id: 'p-9',
      versionId: 'v-a',
    });
    expect(await ledger.lastSeen(TENANT, 'Patient', 'unknown')).toBeUndefined();
  });
});
