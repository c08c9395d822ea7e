import { DynamoDbMarketplaceCatalogue } from '../adapters/aws/dynamodb-marketplace-catalogue.ts';
import { DynamoDbPluginStorage } from '../adapters/aws/dynamodb-plugin-storage.ts';
import { DynamoDbPublisherKeyRepository } from '../adapters/aws/dynamodb-publisher-key-repository.ts';
import { DynamoDbUsageRepository } from '../adapters/aws/dynamodb-usage-repository.ts';
import type { AdaptersEnv } from '../config/adapters-env.ts';
import { ProvenanceVerifier } from '../services/provenance/provenance-verifier.ts';
import type { PlatformAdapters } from './platform-adapters.ts';

/**
 * The stores every function that installs or runs plugins reads: built the same way everywhere,
 * with the instance's one provenance verifier (and so one cache of verification keys) over them.
 */
export function createPlatformStores(adapters: PlatformAdapters, env: AdaptersEnv) {
  const client = adapters.documentClient;
  const publisherKeys = new DynamoDbPublisherKeyRepository(client, env.MARKETPLACE_TABLE, env.AUDIT_TABLE);
  return {
    catalogue: new DynamoDbMarketplaceCatalogue(
      client,
      env.MARKETPLACE_TABLE,
      env.AUDIT_TABLE,
      adapters.clock,
    ),
    publisherKeys,
    provenance: new ProvenanceVerifier({ signer: adapters.signer, publisherKeys, clock: adapters.clock }),
    usage: new DynamoDbUsageRepository({ client, tableName: env.PLUGINS_TABLE, clock: adapters.clock }),
    storage: new DynamoDbPluginStorage({ client, tableName: env.PLUGINS_TABLE }),
  };
}
