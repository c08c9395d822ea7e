import { ConditionalCheckFailedException } from '@aws-sdk/client-dynamodb';
import { type DynamoDBDocumentClient, GetCommand, PutCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { z } from 'zod';
import type { PublisherKey, PublisherKeyRepository } from '../../ports/publisher-key-repository.ts';
import { KEY_SORT_KEY, publisherKeyPartition } from './dynamodb-marketplace-keys.ts';

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

  constructor(client: DynamoDBDocumentClient, tableName: string) {
    this.client = client;
    this.tableName = tableName;
  }

  async register(key: PublisherKey): Promise<{ key: PublisherKey; isNew: boolean }> {
    // `publish` registers its key every time: a read answers that common repeat without spending a
    // failed conditional write. The write below still decides every race on its own.
    const known = await this.get(key.keyId);
    if (known) return { key: known, isNew: false };
    try {
      await this.client.send(
        new PutCommand({
          TableName: this.tableName,
          Item: { PK: publisherKeyPartition(key.keyId), SK: KEY_SORT_KEY, ...key },
          ConditionExpression: 'attribute_not_exists(PK)',
        }),
      );
      return { key, isNew: true };
    } catch (error) {
      if (!(error instanceof ConditionalCheckFailedException)) throw error;
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
  ): Promise<PublisherKey | undefined> {
    const isOwnerScoped = change.publisherId !== undefined;
    try {
      const result = await this.client.send(
        new UpdateCommand({
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
          ReturnValues: 'ALL_NEW',
        }),
      );
      return StoredPublisherKeySchema.parse(result.Attributes);
    } catch (error) {
      if (error instanceof ConditionalCheckFailedException) return undefined;
      throw error;
    }
  }
}
