import { join } from 'node:path';
import type { MarketplaceConfig } from '../../../functions/marketplace/config.ts';
import { wireMarketplace } from '../../../functions/marketplace/wiring.ts';
import { createDocumentClient } from '../../../shared/adapters/aws/dynamodb-document-client.ts';
import { DynamoDbMarketplaceCatalogue } from '../../../shared/adapters/aws/dynamodb-marketplace-catalogue.ts';
import { systemClock } from '../../../shared/ports/clock.ts';
import type { EventPublisher } from '../../../shared/ports/event-publisher.ts';
import { dynamoDbClientSettings } from '../../../shared/wiring/aws-client-settings.ts';
import { seedDemoMarketplace } from './demo-catalogue.ts';
import { buildDemoPlugins } from './demo-plugins.ts';

/**
 * For the local platform's first-start seeding: wires the marketplace from the instance's config
 * (and bus, where given), builds `examples/` and publishes them with their SBOMs, signed by a demo
 * key under `keys/`.
 */
export async function seedDemoMarketplaceFromConfig(options: {
  dataDirectory: string;
  config: MarketplaceConfig;
  events?: EventPublisher;
}) {
  const { config } = options;
  const catalogue = new DynamoDbMarketplaceCatalogue(
    createDocumentClient(dynamoDbClientSettings(config)),
    config.MARKETPLACE_TABLE,
    config.AUDIT_TABLE,
    systemClock,
  );
  const { marketplace } = wireMarketplace(config, { catalogue, events: options.events });
  return seedDemoMarketplace({
    marketplace,
    catalogue,
    publisherKeyFile: join(options.dataDirectory, 'keys', 'demo-publisher-key.pem'),
    plugins: await buildDemoPlugins(),
    clock: systemClock,
  });
}
