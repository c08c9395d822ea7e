import { ConditionalCheckFailedException } from '@aws-sdk/client-dynamodb';
import { type DynamoDBDocumentClient, GetCommand, PutCommand } from '@aws-sdk/lib-dynamodb';
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
}
