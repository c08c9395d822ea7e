import { type DynamoDBDocumentClient, GetCommand } from '@aws-sdk/lib-dynamodb';
import { z } from 'zod';
import { AppointmentSnapshotSchema, type LedgerEntry, type SeenVersion } from '../../domain/ehr-change.ts';
import { NOTIFICATION_RECORD_TYPES, type NotificationRecordType } from '../../domain/ehr-notification.ts';
import type { TenantId } from '../../domain/identifiers.ts';
import type { EhrChangeLedger } from '../../ports/ehr-change-ledger.ts';
import type { OutboxEntries } from '../../ports/outbox.ts';
import { isTransactionConflict } from './dynamodb-marketplace-keys.ts';
import { changeFailed, type TransactItem, writeWithOutbox } from './dynamodb-outbox-write.ts';
import { ehrChangeSortKey, tenantPartition } from './plugins-table-keys.ts';

const LedgerItemSchema = z.object({
  recordType: z.enum(NOTIFICATION_RECORD_TYPES),
  recordId: z.string(),
  versionId: z.string(),
  snapshot: AppointmentSnapshotSchema.optional(),
});

/**
 * The ledger in the plugins table, beside the tenant's other items (its connection, its
 * installations), so it is read and deleted with the tenant. Not the audit table: that one is the
 * append-only outbox whose stream delivers every item it gains; a ledger entry changes in place.
 * A claim and its events commit in one TransactWriteItems across both tables.
 */
export class DynamoDbEhrChangeLedger implements EhrChangeLedger {
  private readonly client: DynamoDBDocumentClient;
  private readonly tableName: string;
  private readonly auditTableName: string;

  constructor(client: DynamoDBDocumentClient, tableName: string, auditTableName: string) {
    this.client = client;
    this.tableName = tableName;
    this.auditTableName = auditTableName;
  }

  async lastSeen(
    tenantId: TenantId,
    type: NotificationRecordType,
    id: string,
  ): Promise<LedgerEntry | undefined> {
    const result = await this.client.send(
      new GetCommand({
        TableName: this.tableName,
        Key: { PK: tenantPartition(tenantId), SK: ehrChangeSortKey(type, id) },
        ConsistentRead: true,
      }),
    );
    if (!result.Item) return undefined;
    const item = LedgerItemSchema.parse(result.Item);
    return {
      type: item.recordType,
      id: item.recordId,
      versionId: item.versionId,
      ...(item.snapshot ? { snapshot: item.snapshot } : {}),
    };
  }

  async claim(
    tenantId: TenantId,
    seen: SeenVersion,
    previousVersionId: string | undefined,
    outbox: OutboxEntries,
  ): Promise<boolean> {
    const put: TransactItem = {
      Put: {
        TableName: this.tableName,
        Item: {
          PK: tenantPartition(tenantId),
          SK: ehrChangeSortKey(seen.type, seen.id),
          recordType: seen.type,
          recordId: seen.id,
          versionId: seen.versionId,
          ...(seen.type === 'Appointment' ? { snapshot: seen.snapshot } : {}),
        },
        ...(previousVersionId === undefined
          ? { ConditionExpression: 'attribute_not_exists(PK)' }
          : {
              ConditionExpression: 'versionId = :previous',
              ExpressionAttributeValues: { ':previous': previousVersionId },
            }),
      },
    };
    try {
      await writeWithOutbox({
        client: this.client,
        auditTableName: this.auditTableName,
        changes: [put],
        outbox,
      });
      return true;
    } catch (error) {
      // Another claim of the same record committing at the same moment is a lost race too: the
      // caller reads the ledger again and retries.
      if (changeFailed(error, 0) || isTransactionConflict(error)) return false;
      throw error;
    }
  }
}
