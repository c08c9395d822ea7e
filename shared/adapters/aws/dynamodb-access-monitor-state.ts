import { ConditionalCheckFailedException } from '@aws-sdk/client-dynamodb';
import { type DynamoDBDocumentClient, GetCommand, PutCommand } from '@aws-sdk/lib-dynamodb';
import { z } from 'zod';
import type {
  AccessMonitorState,
  AccessMonitorStateKey,
  StoredMonitorState,
} from '../../ports/access-monitor-state.ts';
import { versionCondition } from './dynamodb-version-condition.ts';
import { monitorSortKey, PLATFORM_PARTITION, tenantPartition } from './plugins-table-keys.ts';

const MonitorItemSchema = z.object({
  version: z.number().int().positive(),
  expiresAt: z.number(),
  data: z.string(),
});

/**
 * Rule state in the plugins table, one item per key in the tenant's partition (a platform-wide key
 * in PLATFORM). The blob is stored as a JSON string: one attribute, no reserved-word or empty-set
 * surprises in DynamoDB's type mapping. TTL deletes lazily (DynamoDB Local never), so reads treat an
 * expired item as empty but keep its version for the next conditional write.
 */
export class DynamoDbAccessMonitorState implements AccessMonitorState {
  private readonly client: DynamoDBDocumentClient;
  private readonly tableName: string;

  constructor(client: DynamoDBDocumentClient, tableName: string) {
    this.client = client;
    this.tableName = tableName;
  }

  async get(key: AccessMonitorStateKey, now: Date): Promise<StoredMonitorState> {
    const result = await this.client.send(
      new GetCommand({ TableName: this.tableName, Key: keyOf(key), ConsistentRead: true }),
    );
    if (!result.Item) return { version: 0 };
    const item = MonitorItemSchema.parse(result.Item);
    if (item.expiresAt <= Math.floor(now.getTime() / 1000)) return { version: item.version };
    return { data: JSON.parse(item.data), version: item.version };
  }

  async put(
    key: AccessMonitorStateKey,
    data: unknown,
    expectedVersion: number,
    expiresAt: Date,
  ): Promise<boolean> {
    try {
      await this.client.send(
        new PutCommand({
          TableName: this.tableName,
          Item: {
            ...keyOf(key),
            version: expectedVersion + 1,
            expiresAt: Math.floor(expiresAt.getTime() / 1000),
            data: JSON.stringify(data),
          },
          ...versionCondition(expectedVersion),
        }),
      );
      return true;
    } catch (error) {
      if (error instanceof ConditionalCheckFailedException) return false;
      throw error;
    }
  }
}

function keyOf(key: AccessMonitorStateKey): { PK: string; SK: string } {
  return {
    PK: key.tenantId === undefined ? PLATFORM_PARTITION : tenantPartition(key.tenantId),
    SK: monitorSortKey(key.rule, key.subjectId),
  };
}
