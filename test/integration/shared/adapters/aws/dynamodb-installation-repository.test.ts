import { PutCommand } from '@aws-sdk/lib-dynamodb';
import { beforeAll, describe, expect, it } from 'vitest';
import { DynamoDbInstallationRepository } from '../../../../../shared/adapters/aws/dynamodb-installation-repository.ts';
import {
  installationSortKey,
  tenantPartition,
} from '../../../../../shared/adapters/aws/plugins-table-keys.ts';
import { TenantIdSchema } from '../../../../../shared/domain/identifiers.ts';
import { createTestTables } from '../../../../support/dynamodb-tables.ts';
import { anInstallation } from '../../../../support/installation-factory.ts';

const acme = TenantIdSchema.parse('t-acme');
const globex = TenantIdSchema.parse('t-globex');

const installation = (tenantId: string, pluginId: string) => anInstallation({ tenantId, pluginId });

describe('DynamoDbInstallationRepository against DynamoDB Local', () => {
  let repository: DynamoDbInstallationRepository;

  beforeAll(async () => {
    const { names, documentClient } = await createTestTables();
    repository = new DynamoDbInstallationRepository(documentClient, names.plugins, names.audit);
    const seed = [
      ...['alpha', 'bravo', 'charlie', 'delta', 'echo'].map((id) => installation(acme, id)),
      installation(globex, 'foxtrot'),
    ];
    for (const item of seed) {
      await documentClient.send(
        new PutCommand({
          TableName: names.plugins,
          Item: { PK: tenantPartition(item.tenantId), SK: installationSortKey(item.pluginId), data: item },
        }),
      );
    }
  });

  it('pages through one tenant with a cursor and omits nextCursor on the last page', async () => {
    const first = await repository.list(acme, { limit: 2 });
    const second = await repository.list(acme, { limit: 2, cursor: first.nextCursor });
    const last = await repository.list(acme, { limit: 2, cursor: second.nextCursor });

    expect([...first.items, ...second.items, ...last.items].map((item) => item.pluginId)).toEqual([
      'alpha',
      'bravo',
      'charlie',
      'delta',
      'echo',
    ]);
    expect(last.nextCursor).toBeUndefined();
  });

  it('has no next page when the page is exactly full', async () => {
    const page = await repository.list(acme, { limit: 5 });

    expect(page.items).toHaveLength(5);
    expect(page.nextCursor).toBeUndefined();
  });

  it('never returns another tenant’s installations, even with a cursor taken from that tenant', async () => {
    const globexPage = await repository.list(globex, { limit: 10 });
    const acmeCursor = (await repository.list(acme, { limit: 1 })).nextCursor;

    expect(globexPage.items.map((item) => item.pluginId)).toEqual(['foxtrot']);
    await expect(repository.list(globex, { limit: 1, cursor: acmeCursor })).rejects.toMatchObject({
      code: 'INVALID_CURSOR',
    });
  });

  it('refuses a cursor it did not issue', async () => {
    await expect(repository.list(acme, { limit: 1, cursor: 'not-a-cursor' })).rejects.toMatchObject({
      code: 'INVALID_CURSOR',
    });
  });
});
