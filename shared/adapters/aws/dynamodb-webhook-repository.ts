import { ConditionalCheckFailedException } from '@aws-sdk/client-dynamodb';
import { type DynamoDBDocumentClient, GetCommand, QueryCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { z } from 'zod';
import { webhookLimitReached, webhookNotFound } from '../../domain/errors/webhook-errors.ts';
import { WebhookDeliverySchema, WebhookSchema } from '../../domain/webhooks.ts';
import type { OutboxEntries } from '../../ports/outbox.ts';
import type { StoredWebhook, WebhookDelivery, WebhookRepository } from '../../ports/webhook-repository.ts';
import { retryOnTransactionConflict } from './dynamodb-marketplace-keys.ts';
import { changeFailed, writeWithOutbox } from './dynamodb-outbox-write.ts';
import { tenantPartition } from './plugins-table-keys.ts';

/**
 * Key layout in the plugins table, in the tenant's partition:
 *   SK WEBHOOK#<webhookId>   a webhook: its view (`data`), its sealed secret, its last delivery
 *   SK WEBHOOKS#COUNT        how many the tenant has: moved in the same transaction as a create
 *                            or a removal, on the condition that it stays within the maximum
 */
const WEBHOOK_PREFIX = 'WEBHOOK#';
export const webhookSortKey = (webhookId: string) => `${WEBHOOK_PREFIX}${webhookId}`;
export const WEBHOOK_COUNT_SORT_KEY = 'WEBHOOKS#COUNT';

const StoredItemSchema = z.object({
  data: WebhookSchema.omit({ lastDelivery: true }),
  sealedSecret: z.string().min(1),
  lastDelivery: WebhookDeliverySchema.optional(),
});

const storedOf = (item: Record<string, unknown>): StoredWebhook => {
  const { data, sealedSecret, lastDelivery } = StoredItemSchema.parse(item);
  return { ...data, ...(lastDelivery ? { lastDelivery } : {}), sealedSecret };
};

export class DynamoDbWebhookRepository implements WebhookRepository {
  private readonly client: DynamoDBDocumentClient;
  private readonly tableName: string;
  private readonly auditTableName: string;

  constructor(client: DynamoDBDocumentClient, tableName: string, auditTableName: string) {
    this.client = client;
    this.tableName = tableName;
    this.auditTableName = auditTableName;
  }

  async list(tenantId: string): Promise<StoredWebhook[]> {
    const result = await this.client.send(
      new QueryCommand({
        TableName: this.tableName,
        KeyConditionExpression: 'PK = :pk AND begins_with(SK, :prefix)',
        ExpressionAttributeValues: { ':pk': tenantPartition(tenantId), ':prefix': WEBHOOK_PREFIX },
        ConsistentRead: true,
      }),
    );
    return (result.Items ?? []).map(storedOf);
  }

  async get(tenantId: string, webhookId: string): Promise<StoredWebhook | undefined> {
    const result = await this.client.send(
      new GetCommand({
        TableName: this.tableName,
        Key: { PK: tenantPartition(tenantId), SK: webhookSortKey(webhookId) },
        ConsistentRead: true,
      }),
    );
    return result.Item ? storedOf(result.Item) : undefined;
  }

  async create(
    tenantId: string,
    webhook: StoredWebhook,
    maxPerTenant: number,
    outbox: OutboxEntries,
  ): Promise<void> {
    const PK = tenantPartition(tenantId);
    const { sealedSecret, lastDelivery: _none, ...data } = webhook;
    try {
      // Registrations racing on the tenant's counter conflict rather than queue: try again.
      await retryOnTransactionConflict(() =>
        writeWithOutbox({
          client: this.client,
          auditTableName: this.auditTableName,
          changes: [
            {
              Update: {
                TableName: this.tableName,
                Key: { PK, SK: WEBHOOK_COUNT_SORT_KEY },
                UpdateExpression: 'ADD #count :one',
                ConditionExpression: 'attribute_not_exists(#count) OR #count < :max',
                ExpressionAttributeNames: { '#count': 'count' },
                ExpressionAttributeValues: { ':one': 1, ':max': maxPerTenant },
              },
            },
            {
              Put: {
                TableName: this.tableName,
                Item: { PK, SK: webhookSortKey(webhook.id), data, sealedSecret },
                ConditionExpression: 'attribute_not_exists(PK)',
              },
            },
          ],
          outbox,
        }),
      );
    } catch (error) {
      if (changeFailed(error, 0)) throw webhookLimitReached(error);
      throw error;
    }
  }

  async remove(tenantId: string, webhookId: string, outbox: OutboxEntries): Promise<void> {
    const PK = tenantPartition(tenantId);
    try {
      await retryOnTransactionConflict(() =>
        writeWithOutbox({
          client: this.client,
          auditTableName: this.auditTableName,
          changes: [
            {
              Delete: {
                TableName: this.tableName,
                Key: { PK, SK: webhookSortKey(webhookId) },
                ConditionExpression: 'attribute_exists(PK)',
              },
            },
            {
              Update: {
                TableName: this.tableName,
                Key: { PK, SK: WEBHOOK_COUNT_SORT_KEY },
                UpdateExpression: 'ADD #count :minusOne',
                ExpressionAttributeNames: { '#count': 'count' },
                ExpressionAttributeValues: { ':minusOne': -1 },
              },
            },
          ],
          outbox,
        }),
      );
    } catch (error) {
      if (changeFailed(error, 0)) throw webhookNotFound();
      throw error;
    }
  }

  async recordDelivery(tenantId: string, webhookId: string, delivery: WebhookDelivery): Promise<boolean> {
    try {
      await this.client.send(
        new UpdateCommand({
          TableName: this.tableName,
          Key: { PK: tenantPartition(tenantId), SK: webhookSortKey(webhookId) },
          UpdateExpression: 'SET lastDelivery = :delivery',
          ConditionExpression: 'attribute_exists(PK)',
          ExpressionAttributeValues: { ':delivery': WebhookDeliverySchema.parse(delivery) },
        }),
      );
      return true;
    } catch (error) {
      if (error instanceof ConditionalCheckFailedException) return false;
      if ((error as { name?: string }).name === 'ConditionalCheckFailedException') return false;
      throw error;
    }
  }
}
