import { loadMarketplaceConfig } from './config.ts';
import { createMarketplaceHandler, wireMarketplace } from './wiring.ts';

export const handler = createMarketplaceHandler(wireMarketplace(loadMarketplaceConfig()));
