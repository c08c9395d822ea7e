import {
  CreateTableCommand,
  type DynamoDBClient,
  ResourceInUseException,
  waitUntilTableExists,
} from '@aws-sdk/client-dynamodb';
import { TABLE_DEFINITIONS, type TableDefinition } from '../../shared/adapters/aws/table-definitions.ts';

export type TableNames = Readonly<Record<TableDefinition['id'], string>>;

export const LOCAL_TABLE_NAMES: TableNames = {
  plugins: 'gradiant-plugins',
  marketplace: 'gradiant-marketplace',
  audit: 'gradiant-audit',
};

/** Creates the tables from the shared definitions where they do not exist yet (restarts keep data). */
export async function ensureTables(client: DynamoDBClient, names: TableNames): Promise<void> {
  for (const definition of TABLE_DEFINITIONS) {
    const attributes = new Set<string>([definition.partitionKey, definition.sortKey]);
    for (const index of definition.globalIndexes) attributes.add(index.partitionKey).add(index.sortKey);
    try {
      await client.send(
        new CreateTableCommand({
          TableName: names[definition.id],
          BillingMode: 'PAY_PER_REQUEST',
          AttributeDefinitions: [...attributes].map((name) => ({ AttributeName: name, AttributeType: 'S' })),
          KeySchema: [
            { AttributeName: definition.partitionKey, KeyType: 'HASH' },
            { AttributeName: definition.sortKey, KeyType: 'RANGE' },
          ],
          ...(definition.stream
            ? { StreamSpecification: { StreamEnabled: true, StreamViewType: definition.stream } }
            : {}),
          GlobalSecondaryIndexes: definition.globalIndexes.map((index) => ({
            IndexName: index.name,
            KeySchema: [
              { AttributeName: index.partitionKey, KeyType: 'HASH' },
              { AttributeName: index.sortKey, KeyType: 'RANGE' },
            ],
            Projection: { ProjectionType: 'ALL' },
          })),
        }),
      );
    } catch (error) {
      if (!(error instanceof ResourceInUseException)) throw error;
    }
    await waitUntilTableExists({ client, maxWaitTime: 30, minDelay: 1 }, { TableName: names[definition.id] });
  }
}
