import { loadMarketplaceConfig } from './config.ts';
import { createMarketplaceHandler } from './wiring.ts';

/** The only reader of the Lambda environment: parsed once, at cold start. */
export const handler = createMarketplaceHandler(loadMarketplaceConfig(process.env));
