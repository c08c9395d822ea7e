import { type DynamoDBDocumentClient, GetCommand } from '@aws-sdk/lib-dynamodb';
import type { TenantId } from '../../domain/identifiers.ts';
import {
  DEFAULT_TENANT_POLICY,
  type StoredTenantPolicy,
  StoredTenantPolicySchema,
  type TenantPolicy,
} from '../../domain/tenant-policy.ts';
import type { OutboxEntries } from '../../ports/outbox.ts';
import type { TenantPolicyRepository } from '../../ports/tenant-policy-repository.ts';
import { putVersionedWithOutbox } from './dynamodb-outbox-write.ts';
import { POLICY_SORT_KEY, tenantPartition } from './plugins-table-keys.ts';

export class DynamoDbTenantPolicyRepository implements TenantPolicyRepository {
  private readonly client: DynamoDBDocumentClient;
  private readonly tableName: string;
  private readonly auditTableName: string;

  constructor(client: DynamoDBDocumentClient, tableName: string, auditTableName: string) {
    this.client = client;
    this.tableName = tableName;
    this.auditTableName = auditTableName;
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
    outbox: OutboxEntries,
  ): Promise<StoredTenantPolicy> {
    const stored: StoredTenantPolicy = {
      policy,
      version: expectedVersion + 1,
      updatedAt: at.toISOString(),
      updatedBy: actor,
    };
    await putVersionedWithOutbox({
      client: this.client,
      auditTableName: this.auditTableName,
      tableName: this.tableName,
      key: { PK: tenantPartition(tenantId), SK: POLICY_SORT_KEY },
      version: stored.version,
      data: stored,
      expectedVersion,
      outbox,
      what: 'policy',
    });
    return stored;
  }
}

/** The policy item as stored, or the default policy at version 0 when the tenant has none. */
export function storedPolicyOfItem(item: Record<string, unknown> | undefined): StoredTenantPolicy {
  if (!item) return { policy: structuredClone(DEFAULT_TENANT_POLICY), version: 0 };
  return StoredTenantPolicySchema.parse(item.data);
}
