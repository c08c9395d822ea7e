import {
  CreateTableCommand,
  DescribeTableCommand,
  type DynamoDBClient,
  ResourceInUseException,
  UpdateTableCommand,
  waitUntilTableExists,
} from '@aws-sdk/client-dynamodb';
import { TABLE_DEFINITIONS, type TableDefinition } from '../../shared/adapters/aws/table-definitions.ts';

export type TableNames = Readonly<Record<TableDefinition['id'], string>>;

export const LOCAL_TABLE_NAMES: TableNames = {
  plugins: 'gradiant-plugins',
  marketplace: 'gradiant-marketplace',
  audit: 'gradiant-audit',
};

const indexSchema = (index: TableDefinition['globalIndexes'][number]) => ({
  IndexName: index.name,
  KeySchema: [
    { AttributeName: index.partitionKey, KeyType: 'HASH' as const },
    { AttributeName: index.sortKey, KeyType: 'RANGE' as const },
  ],
  Projection: { ProjectionType: 'ALL' as const },
});

/**
 * Creates the tables from the shared definitions where they do not exist yet (restarts keep data),
 * and adds the indexes a `.data` database made by an older version lacks (e.g. the marketplace's
 * change feed, GSI2), as a deployment's CloudFormation update would.
 */
export async function ensureTables(client: DynamoDBClient, names: TableNames): Promise<void> {
  for (const definition of TABLE_DEFINITIONS) {
    const attributes = new Set<string>([definition.partitionKey, definition.sortKey]);
    for (const index of definition.globalIndexes) attributes.add(index.partitionKey).add(index.sortKey);
    const attributeDefinitions = [...attributes].map((name) => ({
      AttributeName: name,
      AttributeType: 'S' as const,
    }));
    try {
      await client.send(
        new CreateTableCommand({
          TableName: names[definition.id],
          BillingMode: 'PAY_PER_REQUEST',
          AttributeDefinitions: attributeDefinitions,
          KeySchema: [
            { AttributeName: definition.partitionKey, KeyType: 'HASH' },
            { AttributeName: definition.sortKey, KeyType: 'RANGE' },
          ],
          ...(definition.stream
            ? { StreamSpecification: { StreamEnabled: true, StreamViewType: definition.stream } }
            : {}),
          GlobalSecondaryIndexes: definition.globalIndexes.map(indexSchema),
        }),
      );
    } catch (error) {
      if (!(error instanceof ResourceInUseException)) throw error;
    }
    await waitUntilTableExists({ client, maxWaitTime: 30, minDelay: 1 }, { TableName: names[definition.id] });
    await addMissingIndexes(client, names[definition.id], definition, attributeDefinitions);
  }
}

async function addMissingIndexes(
  client: DynamoDBClient,
  tableName: string,
  definition: TableDefinition,
  attributeDefinitions: { AttributeName: string; AttributeType: 'S' }[],
): Promise<void> {
  const existing = async () =>
    (await client.send(new DescribeTableCommand({ TableName: tableName }))).Table?.GlobalSecondaryIndexes ??
    [];
  const present = new Set((await existing()).map((index) => index.IndexName));
  // One index per UpdateTable call: DynamoDB refuses more than one creation at a time.
  for (const index of definition.globalIndexes.filter((candidate) => !present.has(candidate.name))) {
    await client.send(
      new UpdateTableCommand({
        TableName: tableName,
        AttributeDefinitions: attributeDefinitions,
        GlobalSecondaryIndexUpdates: [{ Create: indexSchema(index) }],
      }),
    );
    const isActive = async () =>
      (await existing()).find((candidate) => candidate.IndexName === index.name)?.IndexStatus === 'ACTIVE';
    for (let attempt = 0; !(await isActive()); attempt++) {
      if (attempt >= 300) throw new Error(`index ${index.name} of ${tableName} did not become active`);
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
  }
}
