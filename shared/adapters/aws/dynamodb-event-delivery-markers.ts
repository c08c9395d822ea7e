import { randomUUID } from 'node:crypto';
import { ConditionalCheckFailedException } from '@aws-sdk/client-dynamodb';
import { DeleteCommand, type DynamoDBDocumentClient, PutCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import type { Clock } from '../../ports/clock.ts';
import type { Claim, DeliveryKey, EventDeliveryMarkers } from '../../ports/event-delivery-markers.ts';
import { eventMarkerKey, tenantPartition } from './plugins-table-usage-keys.ts';

/** Outlasts EventBridge's maximum event age and Lambda's async retries (at most 6 h) with room. */
const PROCESSED_TTL_SECONDS = 7 * 24 * 3600;

/**
 * Event delivery markers in the plugins table (SK EVENT#<plugin>#<event id>, expiresAt TTL). A
 * claim is a conditional put: it succeeds for a new event or one whose lease has expired (a
 * delivery whose instance died), never for a processed one or a live lease.
 */
export class DynamoDbEventDeliveryMarkers implements EventDeliveryMarkers {
  private readonly client: DynamoDBDocumentClient;
  private readonly tableName: string;
  private readonly clock: Clock;

  constructor(options: { client: DynamoDBDocumentClient; tableName: string; clock: Clock }) {
    this.client = options.client;
    this.tableName = options.tableName;
    this.clock = options.clock;
  }

  async claim(key: DeliveryKey, leaseMs: number): Promise<Claim> {
    const now = this.clock.now().getTime();
    const token = randomUUID();
    try {
      await this.client.send(
        new PutCommand({
          TableName: this.tableName,
          Item: {
            ...this.keyOf(key),
            deliveryStatus: 'processing',
            leaseToken: token,
            leaseUntil: now + leaseMs,
            expiresAt: Math.ceil(now / 1000) + PROCESSED_TTL_SECONDS,
          },
          ConditionExpression:
            'attribute_not_exists(SK) OR (deliveryStatus = :processing AND leaseUntil < :now)',
          ExpressionAttributeValues: { ':processing': 'processing', ':now': now },
          ReturnValuesOnConditionCheckFailure: 'ALL_OLD',
        }),
      );
      return { status: 'claimed', token };
    } catch (error) {
      if (!(error instanceof ConditionalCheckFailedException)) throw error;
      const status = (error.Item as { deliveryStatus?: { S?: string } } | undefined)?.deliveryStatus?.S;
      return status === 'done' ? { status: 'done' } : { status: 'busy' };
    }
  }

  async complete(key: DeliveryKey, token: string): Promise<void> {
    await this.ignoringLostLease(
      new UpdateCommand({
        TableName: this.tableName,
        Key: this.keyOf(key),
        UpdateExpression: 'SET deliveryStatus = :done, expiresAt = :expiresAt REMOVE leaseUntil',
        ConditionExpression: 'leaseToken = :token',
        ExpressionAttributeValues: {
          ':done': 'done',
          ':token': token,
          ':expiresAt': Math.ceil(this.clock.now().getTime() / 1000) + PROCESSED_TTL_SECONDS,
        },
      }),
    );
  }

  async release(key: DeliveryKey, token: string): Promise<void> {
    await this.ignoringLostLease(
      new DeleteCommand({
        TableName: this.tableName,
        Key: this.keyOf(key),
        ConditionExpression: 'leaseToken = :token',
        ExpressionAttributeValues: { ':token': token },
      }),
    );
  }

  /** A lease taken over after expiry belongs to the newer delivery: its outcome decides. */
  private async ignoringLostLease(command: UpdateCommand | DeleteCommand): Promise<void> {
    try {
      await this.client.send(command as UpdateCommand);
    } catch (error) {
      if (!(error instanceof ConditionalCheckFailedException)) throw error;
    }
  }

  private keyOf(key: DeliveryKey) {
    return { PK: tenantPartition(key.tenantId), SK: eventMarkerKey(key.pluginId, key.eventId) };
  }
}
