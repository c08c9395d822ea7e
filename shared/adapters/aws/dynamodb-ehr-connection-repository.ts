import { type DynamoDBDocumentClient, GetCommand } from '@aws-sdk/lib-dynamodb';
import { type EhrConnection, EhrConnectionSchema } from '../../domain/ehr-connection.ts';
import type { TenantId } from '../../domain/identifiers.ts';
import type { EhrConnectionRepository } from '../../ports/ehr-connection-repository.ts';
import type { OutboxEntries } from '../../ports/outbox.ts';
import { putVersionedWithOutbox } from './dynamodb-outbox-write.ts';
import { EHR_CONNECTION_SORT_KEY, tenantPartition } from './plugins-table-keys.ts';

/** The connection as one item under the tenant's partition in the plugins table, as the policy is. */
export class DynamoDbEhrConnectionRepository implements EhrConnectionRepository {
  private readonly client: DynamoDBDocumentClient;
  private readonly tableName: string;
  private readonly auditTableName: string;

  constructor(client: DynamoDBDocumentClient, tableName: string, auditTableName: string) {
    this.client = client;
    this.tableName = tableName;
    this.auditTableName = auditTableName;
  }

  async get(tenantId: TenantId): Promise<EhrConnection | undefined> {
    const result = await this.client.send(
      new GetCommand({
        TableName: this.tableName,
        Key: { PK: tenantPartition(tenantId), SK: EHR_CONNECTION_SORT_KEY },
        ConsistentRead: true,
      }),
    );
    return result.Item ? EhrConnectionSchema.parse(result.Item.data) : undefined;
  }

  async put(
    connection: EhrConnection,
    expectedVersion: number,
    outbox: OutboxEntries,
  ): Promise<EhrConnection> {
    const stored = EhrConnectionSchema.parse({ ...connection, version: expectedVersion + 1 });
    await putVersionedWithOutbox({
      client: this.client,
      auditTableName: this.auditTableName,
      tableName: this.tableName,
      key: { PK: tenantPartition(stored.tenantId), SK: EHR_CONNECTION_SORT_KEY },
      version: stored.version,
      data: stored,
      expectedVersion,
      outbox,
      what: 'EHR connection',
    });
    return stored;
  }
}
