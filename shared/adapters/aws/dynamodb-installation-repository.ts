import type { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import type { TenantId } from '../../domain/identifiers.ts';
import { type Installation, InstallationSchema } from '../../domain/installation.ts';
import type { InstallationRepository } from '../../ports/installation-repository.ts';
import type { Page, PageRequest } from '../../ports/page.ts';
import { queryPage } from './dynamodb-paging.ts';
import { INSTALLATION_PREFIX, tenantPartition } from './plugins-table-keys.ts';

export class DynamoDbInstallationRepository implements InstallationRepository {
  private readonly client: DynamoDBDocumentClient;
  private readonly tableName: string;

  constructor(client: DynamoDBDocumentClient, tableName: string) {
    this.client = client;
    this.tableName = tableName;
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
}
