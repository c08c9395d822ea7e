import { randomUUID } from 'node:crypto';
import { CreateTableCommand, DescribeTableCommand, DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { afterAll, describe, expect, inject, it } from 'vitest';
import { ensureTables, type TableNames } from '../../../../apps/local-platform/local-tables.ts';

const client = new DynamoDBClient({
  endpoint: inject('dynamodbEndpoint'),
  region: 'us-east-1',
  credentials: { accessKeyId: 'local', secretAccessKey: 'local' },
});

afterAll(() => client.destroy());

describe('local tables', () => {
  it('adds the change feed index to a marketplace table made before it existed, keeping the table', async () => {
    const suffix = randomUUID().slice(0, 8);
    const names: TableNames = {
      plugins: `plugins-${suffix}`,
      marketplace: `market-${suffix}`,
      audit: `audit-${suffix}`,
    };
    await client.send(
      new CreateTableCommand({
        TableName: names.marketplace,
        BillingMode: 'PAY_PER_REQUEST',
        AttributeDefinitions: ['PK', 'SK', 'GSI1PK', 'GSI1SK'].map((name) => ({
          AttributeName: name,
          AttributeType: 'S',
        })),
        KeySchema: [
          { AttributeName: 'PK', KeyType: 'HASH' },
          { AttributeName: 'SK', KeyType: 'RANGE' },
        ],
        GlobalSecondaryIndexes: [
          {
            IndexName: 'GSI1',
            KeySchema: [
              { AttributeName: 'GSI1PK', KeyType: 'HASH' },
              { AttributeName: 'GSI1SK', KeyType: 'RANGE' },
            ],
            Projection: { ProjectionType: 'ALL' },
          },
        ],
      }),
    );

    await ensureTables(client, names);
    await ensureTables(client, names);

    const table = (await client.send(new DescribeTableCommand({ TableName: names.marketplace }))).Table;
    expect(
      table?.GlobalSecondaryIndexes?.map((index) => [index.IndexName, index.IndexStatus]).sort(),
    ).toEqual([
      ['GSI1', 'ACTIVE'],
      ['GSI2', 'ACTIVE'],
    ]);
  });
});
