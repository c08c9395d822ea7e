import { randomUUID } from 'node:crypto';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { inject } from 'vitest';
import { ensureTables, type TableNames } from '../../apps/local-platform/local-tables.ts';
import { createDocumentClient } from '../../shared/adapters/aws/dynamodb-document-client.ts';

const localConfig = () => ({
  endpoint: inject('dynamodbEndpoint'),
  region: 'us-east-1',
  credentials: { accessKeyId: 'local', secretAccessKey: 'local' },
});

/** Fresh, uniquely named tables in the run's DynamoDB Local, so test files never share state. */
export async function createTestTables(): Promise<{
  names: TableNames;
  documentClient: ReturnType<typeof createDocumentClient>;
}> {
  const suffix = randomUUID().slice(0, 8);
  const names: TableNames = {
    plugins: `plugins-${suffix}`,
    marketplace: `marketplace-${suffix}`,
    audit: `audit-${suffix}`,
  };
  const client = new DynamoDBClient(localConfig());
  await ensureTables(client, names);
  client.destroy();
  return { names, documentClient: createDocumentClient(localConfig()) };
}
