import { join } from 'node:path';
import { loadMarketplaceConfig } from '../../../functions/marketplace/config.ts';
import { wireMarketplace } from '../../../functions/marketplace/wiring.ts';
import { createDocumentClient } from '../../../shared/adapters/aws/dynamodb-document-client.ts';
import { DynamoDbMarketplaceCatalogue } from '../../../shared/adapters/aws/dynamodb-marketplace-catalogue.ts';
import { systemClock } from '../../../shared/ports/clock.ts';
import { seedDemoMarketplace } from './demo-catalogue.ts';

/**
 * For the local platform's first-start seeding: wires the marketplace from the local environment
 * (already in process.env) and publishes the demo plugins, signed by a demo key under `keys/`.
 */
export async function seedDemoMarketplaceFromEnvironment(options: {
  dataDirectory: string;
  env?: Record<string, string | undefined>;
}) {
  const config = options.env ? loadMarketplaceConfig(options.env) : loadMarketplaceConfig();
  const catalogue = new DynamoDbMarketplaceCatalogue(createDocumentClient(), config.MARKETPLACE_TABLE);
  const { marketplace } = wireMarketplace(config, { catalogue });
  return seedDemoMarketplace({
    marketplace,
    catalogue,
    publisherKeyFile: join(options.dataDirectory, 'keys', 'demo-publisher-key.pem'),
    clock: systemClock,
  });
}
