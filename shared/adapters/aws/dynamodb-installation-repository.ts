import { type DynamoDBDocumentClient, GetCommand, paginateQuery } from '@aws-sdk/lib-dynamodb';
import { alreadyInstalled, concurrentModification } from '../../domain/errors/lifecycle-errors.ts';
import type { PluginId, TenantId } from '../../domain/identifiers.ts';
import { type Installation, InstallationSchema } from '../../domain/installation.ts';
import type { InstallationRepository } from '../../ports/installation-repository.ts';
import type { OutboxEntries } from '../../ports/outbox.ts';
import type { Page, PageRequest } from '../../ports/page.ts';
import { changeFailed, type TransactItem, writeWithOutbox } from './dynamodb-outbox-write.ts';
import { queryPage } from './dynamodb-paging.ts';
import {
  INSTALLATION_PREFIX,
  installationSortKey,
  pluginIndexKey,
  tenantPartition,
} from './plugins-table-keys.ts';
import { GSI1 } from './table-definitions.ts';

export class DynamoDbInstallationRepository implements InstallationRepository {
  private readonly client: DynamoDBDocumentClient;
  private readonly tableName: string;
  private readonly auditTableName: string;

  constructor(client: DynamoDBDocumentClient, tableName: string, auditTableName: string) {
    this.client = client;
    this.tableName = tableName;
    this.auditTableName = auditTableName;
  }

  list(tenantId: TenantId, page: PageRequest): Promise<Page<Installation>> {
    const partition = tenantPartition(tenantId);
    return queryPage(
      this.client,
      {
        TableName: this.tableName,
        KeyConditionExpression: 'PK = :pk AND begins_with(SK, :prefix)',
        ExpressionAttributeValues: { ':pk': partition, ':prefix': INSTALLATION_PREFIX },
        ConsistentRead: true,
      },
      page,
      { name: 'PK', value: partition },
      ['PK', 'SK'],
      (item) => InstallationSchema.parse(item.data),
    );
  }

  async get(tenantId: TenantId, pluginId: PluginId): Promise<Installation | undefined> {
    const result = await this.client.send(
      new GetCommand({
        TableName: this.tableName,
        Key: { PK: tenantPartition(tenantId), SK: installationSortKey(pluginId) },
        ConsistentRead: true,
      }),
    );
    return result.Item ? installationOfItem(result.Item) : undefined;
  }

  async create(installation: Installation, outbox: OutboxEntries): Promise<void> {
    try {
      await this.write(
        {
          Put: {
            TableName: this.tableName,
            Item: this.toItem(installation),
            ConditionExpression: 'attribute_not_exists(PK)',
          },
        },
        outbox,
      );
    } catch (error) {
      if (changeFailed(error)) throw alreadyInstalled(error);
      throw error;
    }
  }

  async update(installation: Installation, outbox: OutboxEntries): Promise<void> {
    try {
      await this.write(
        {
          Put: {
            TableName: this.tableName,
            Item: this.toItem(installation),
            ConditionExpression: 'revision = :expected',
            ExpressionAttributeValues: { ':expected': installation.revision - 1 },
          },
        },
        outbox,
      );
    } catch (error) {
      if (changeFailed(error)) throw concurrentModification('plugin', error);
      throw error;
    }
  }

  async delete(
    tenantId: TenantId,
    pluginId: PluginId,
    expectedRevision: number,
    outbox: OutboxEntries,
  ): Promise<void> {
    try {
      await this.write(
        {
          Delete: {
            TableName: this.tableName,
            Key: { PK: tenantPartition(tenantId), SK: installationSortKey(pluginId) },
            ConditionExpression: 'revision = :expected',
            ExpressionAttributeValues: { ':expected': expectedRevision },
          },
        },
        outbox,
      );
    } catch (error) {
      if (changeFailed(error)) throw concurrentModification('plugin', error);
      throw error;
    }
  }

  async listByPlugin(pluginId: PluginId): Promise<Installation[]> {
    const found: Installation[] = [];
    const pages = paginateQuery(
      { client: this.client },
      {
        TableName: this.tableName,
        IndexName: GSI1.name,
        KeyConditionExpression: 'GSI1PK = :pk',
        ExpressionAttributeValues: { ':pk': pluginIndexKey(pluginId) },
      },
    );
    for await (const page of pages) {
      for (const item of page.Items ?? []) found.push(InstallationSchema.parse(item.data));
    }
    return found;
  }

  private write(change: TransactItem, outbox: OutboxEntries): Promise<void> {
    const { client, auditTableName } = this;
    return writeWithOutbox({ client, auditTableName, changes: [change], outbox });
  }

  private toItem(installation: Installation) {
    return {
      PK: tenantPartition(installation.tenantId),
      SK: installationSortKey(installation.pluginId),
      GSI1PK: pluginIndexKey(installation.pluginId),
      GSI1SK: tenantPartition(installation.tenantId),
      revision: installation.revision,
      data: installation,
    };
  }
}

/** An installation item as stored (the record sits under `data`). */
export const installationOfItem = (item: Record<string, unknown>): Installation =>
  InstallationSchema.parse(item.data);
