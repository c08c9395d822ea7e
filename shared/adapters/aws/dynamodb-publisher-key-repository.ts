import { type DynamoDBDocumentClient, GetCommand } from '@aws-sdk/lib-dynamodb';
import { z } from 'zod';
import type { OutboxEntries } from '../../ports/outbox.ts';
import type { PublisherKey, PublisherKeyRepository } from '../../ports/publisher-key-repository.ts';
import { KEY_SORT_KEY, publisherKeyPartition } from './dynamodb-marketplace-keys.ts';
import { changeFailed, type TransactItem, writeWithOutbox } from './dynamodb-outbox-write.ts';

const StoredPublisherKeySchema = z.object({
  keyId: z.string(),
  publisherId: z.string(),
  publicKeyPem: z.string(),
  createdAt: z.string(),
  revokedAt: z.string().optional(),
});

/** One item per key (`PUBLISHER_KEY#<kid>` / `KEY`); items are never deleted, only revoked. */
export class DynamoDbPublisherKeyRepository implements PublisherKeyRepository {
  private readonly client: DynamoDBDocumentClient;
  private readonly tableName: string;
  private readonly auditTableName: string;

  constructor(client: DynamoDBDocumentClient, tableName: string, auditTableName: string) {
    this.client = client;
    this.tableName = tableName;
    this.auditTableName = auditTableName;
  }

  async register(key: PublisherKey, outbox: OutboxEntries): Promise<{ key: PublisherKey; isNew: boolean }> {
    // `publish` registers its key every time: a read answers that common repeat without spending a
    // failed conditional write. The write below still decides every race on its own.
    const known = await this.get(key.keyId);
    if (known) return { key: known, isNew: false };
    try {
      await this.write(
        {
          Put: {
            TableName: this.tableName,
            Item: { PK: publisherKeyPartition(key.keyId), SK: KEY_SORT_KEY, ...key },
            ConditionExpression: 'attribute_not_exists(PK)',
          },
        },
        outbox,
      );
      return { key, isNew: true };
    } catch (error) {
      if (!changeFailed(error)) throw error;
    }
    // The write lost to an existing item, which is never deleted: read it to say whose it is.
    const existing = await this.get(key.keyId);
    if (!existing) throw new Error('The conflicting publisher key item could not be read back.');
    return { key: existing, isNew: false };
  }

  async get(keyId: string): Promise<PublisherKey | undefined> {
    const result = await this.client.send(
      new GetCommand({
        TableName: this.tableName,
        Key: { PK: publisherKeyPartition(keyId), SK: KEY_SORT_KEY },
        ConsistentRead: true,
      }),
    );
    return result.Item ? StoredPublisherKeySchema.parse(result.Item) : undefined;
  }

  async revoke(
    keyId: string,
    change: { revokedAt: string; publisherId?: string },
    outbox: OutboxEntries,
  ): Promise<PublisherKey | undefined> {
    const isOwnerScoped = change.publisherId !== undefined;
    try {
      await this.write(
        {
          Update: {
            TableName: this.tableName,
            Key: { PK: publisherKeyPartition(keyId), SK: KEY_SORT_KEY },
            // if_not_exists keeps the first revocation time, so a repeat is a no-op (idempotent).
            UpdateExpression: 'SET revokedAt = if_not_exists(revokedAt, :revokedAt)',
            ConditionExpression: isOwnerScoped
              ? 'attribute_exists(PK) AND publisherId = :publisherId'
              : 'attribute_exists(PK)',
            ExpressionAttributeValues: {
              ':revokedAt': change.revokedAt,
              ...(isOwnerScoped ? { ':publisherId': change.publisherId } : {}),
            },
          },
        },
        outbox,
      );
    } catch (error) {
      if (changeFailed(error)) return undefined;
      throw error;
    }
    // A transaction returns no item: read the key back (it is never deleted, only revoked).
    return this.get(keyId);
  }

  private write(change: TransactItem, outbox: OutboxEntries): Promise<void> {
    const { client, auditTableName } = this;
    return writeWithOutbox({ client, auditTableName, changes: [change], outbox });
  }
}
