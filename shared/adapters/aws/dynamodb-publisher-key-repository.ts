import { ConditionalCheckFailedException } from '@aws-sdk/client-dynamodb';
import { type DynamoDBDocumentClient, GetCommand, PutCommand } from '@aws-sdk/lib-dynamodb';
import { z } from 'zod';
import { publisherKeyTaken } from '../../domain/marketplace-errors.ts';
import type { PublisherKey, PublisherKeyRepository } from '../../ports/publisher-key-repository.ts';
import { KEY_SORT_KEY, publisherKeyPartition } from './dynamodb-marketplace-keys.ts';

const StoredPublisherKeySchema = z.object({
  keyId: z.string(),
  publisherId: z.string(),
  publicKeyPem: z.string(),
  createdAt: z.string(),
  revokedAt: z.string().optional(),
});

export class DynamoDbPublisherKeyRepository implements PublisherKeyRepository {
  private readonly client: DynamoDBDocumentClient;
  private readonly tableName: string;

  constructor(client: DynamoDBDocumentClient, tableName: string) {
    this.client = client;
    this.tableName = tableName;
  }

  async create(key: PublisherKey): Promise<void> {
    try {
      await this.client.send(
        new PutCommand({
          TableName: this.tableName,
          Item: { PK: publisherKeyPartition(key.keyId), SK: KEY_SORT_KEY, ...key },
          ConditionExpression: 'attribute_not_exists(PK)',
        }),
      );
    } catch (error) {
      if (error instanceof ConditionalCheckFailedException) throw publisherKeyTaken();
      throw error;
    }
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
