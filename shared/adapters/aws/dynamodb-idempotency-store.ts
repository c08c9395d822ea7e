import { ConditionalCheckFailedException } from '@aws-sdk/client-dynamodb';
import { DeleteCommand, type DynamoDBDocumentClient, PutCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import type { IdempotencyClaim, IdempotencyStore, StoredResponse } from '../../ports/idempotency-store.ts';
import { idempotencySortKey, tenantPartition } from './plugins-table-keys.ts';

const RETENTION_SECONDS = 24 * 3600;
/** A claim older than this is treated as abandoned (its Lambda died), so a retry may take it over. */
const IN_PROGRESS_SECONDS = 60;

export class DynamoDbIdempotencyStore implements IdempotencyStore {
  private readonly client: DynamoDBDocumentClient;
  private readonly tableName: string;

  constructor(client: DynamoDBDocumentClient, tableName: string) {
    this.client = client;
    this.tableName = tableName;
  }

  async claim(
    tenantId: string,
    scope: string,
    key: string,
    requestHash: string,
    now: Date,
  ): Promise<IdempotencyClaim> {
    const nowSeconds = Math.floor(now.getTime() / 1000);
    try {
      // Claims when absent, expired (TTL is not enforced by DynamoDB Local, nor promptly by AWS)
      // or abandoned in progress; otherwise returns the stored record for the checks below.
      await this.client.send(
        new PutCommand({
          TableName: this.tableName,
          Item: {
            PK: tenantPartition(tenantId),
            SK: idempotencySortKey(scope, key),
            requestHash,
            status: 'in-progress',
            claimedAt: nowSeconds,
            expiresAt: nowSeconds + RETENTION_SECONDS,
          },
          ConditionExpression:
            'attribute_not_exists(PK) OR expiresAt < :now OR (#status = :inProgress AND claimedAt < :stale)',
          ExpressionAttributeNames: { '#status': 'status' },
          ExpressionAttributeValues: {
            ':now': nowSeconds,
            ':inProgress': 'in-progress',
            ':stale': nowSeconds - IN_PROGRESS_SECONDS,
          },
          ReturnValuesOnConditionCheckFailure: 'ALL_OLD',
        }),
      );
      return { kind: 'claimed' };
    } catch (error) {
      if (!(error instanceof ConditionalCheckFailedException)) throw error;
      const existing = error.Item as Record<string, { S?: string; N?: string }> | undefined;
      if (existing?.requestHash?.S !== requestHash) return { kind: 'mismatch' };
      if (existing.status?.S !== 'done' || !existing.response?.S) return { kind: 'in-progress' };
      return { kind: 'replay', response: JSON.parse(existing.response.S) as StoredResponse };
    }
  }

  async complete(
    tenantId: string,
    scope: string,
    key: string,
    response: StoredResponse,
    now: Date,
  ): Promise<void> {
    await this.client.send(
      new UpdateCommand({
        TableName: this.tableName,
        Key: { PK: tenantPartition(tenantId), SK: idempotencySortKey(scope, key) },
        UpdateExpression: 'SET #status = :done, #response = :response, expiresAt = :expires',
        ExpressionAttributeNames: { '#status': 'status', '#response': 'response' },
        ExpressionAttributeValues: {
          ':done': 'done',
          ':response': JSON.stringify(response),
          ':expires': Math.floor(now.getTime() / 1000) + RETENTION_SECONDS,
        },
      }),
    );
  }

  async release(tenantId: string, scope: string, key: string): Promise<void> {
    await this.client.send(
      new DeleteCommand({
        TableName: this.tableName,
        Key: { PK: tenantPartition(tenantId), SK: idempotencySortKey(scope, key) },
      }),
    );
  }
}
