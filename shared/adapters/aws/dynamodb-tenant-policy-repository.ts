import { ConditionalCheckFailedException } from '@aws-sdk/client-dynamodb';
import { type DynamoDBDocumentClient, GetCommand, PutCommand } from '@aws-sdk/lib-dynamodb';
import { concurrentModification } from '../../domain/errors/lifecycle-errors.ts';
import type { TenantId } from '../../domain/identifiers.ts';
import {
  DEFAULT_TENANT_POLICY,
  type StoredTenantPolicy,
  StoredTenantPolicySchema,
  type TenantPolicy,
} from '../../domain/tenant-policy.ts';
import type { TenantPolicyRepository } from '../../ports/tenant-policy-repository.ts';
import { versionCondition } from './dynamodb-version-condition.ts';
import { POLICY_SORT_KEY, tenantPartition } from './plugins-table-keys.ts';

export class DynamoDbTenantPolicyRepository implements TenantPolicyRepository {
  private readonly client: DynamoDBDocumentClient;
  private readonly tableName: string;

  constructor(client: DynamoDBDocumentClient, tableName: string) {
    this.client = client;
    this.tableName = tableName;
  }

  async get(tenantId: TenantId): Promise<StoredTenantPolicy> {
    const result = await this.client.send(
      new GetCommand({
        TableName: this.tableName,
        Key: { PK: tenantPartition(tenantId), SK: POLICY_SORT_KEY },
        ConsistentRead: true,
      }),
    );
    return storedPolicyOfItem(result.Item);
  }

  async put(
    tenantId: TenantId,
    policy: TenantPolicy,
    expectedVersion: number,
    actor: string,
    at: Date,
  ): Promise<StoredTenantPolicy> {
    const stored: StoredTenantPolicy = {
      policy,
      version: expectedVersion + 1,
      updatedAt: at.toISOString(),
      updatedBy: actor,
    };
    try {
      await this.client.send(
        new PutCommand({
          TableName: this.tableName,
          Item: { PK: tenantPartition(tenantId), SK: POLICY_SORT_KEY, version: stored.version, data: stored },
          ...versionCondition(expectedVersion),
        }),
      );
    } catch (error) {
      if (error instanceof ConditionalCheckFailedException) {
        throw concurrentModification('policy', error);
      }
      throw error;
    }
    return stored;
  }
}

/** The policy item as stored, or the default policy at version 0 when the tenant has none. */
export function storedPolicyOfItem(item: Record<string, unknown> | undefined): StoredTenantPolicy {
  if (!item) return { policy: structuredClone(DEFAULT_TENANT_POLICY), version: 0 };
  return StoredTenantPolicySchema.parse(item.data);
}
