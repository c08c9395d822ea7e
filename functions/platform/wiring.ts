import { createHttpHandler } from '../../shared/http/http-handler.ts';
import { createLogger } from '../../shared/observability/logger.ts';
import type { PlatformConfig } from './config.ts';
import { platformRoutes } from './routes.ts';

/** The platform function's handler from its config: what handler.ts exports and the local platform serves. */
export function createPlatformHandler(config: PlatformConfig) {
  return createHttpHandler({
    functionName: 'platform',
    logger: createLogger('platform', config.POWERTOOLS_LOG_LEVEL),
    verifier: () => Promise.reject(new Error('The platform function serves no authenticated route')),
    routes: platformRoutes(config),
    // Health and the OpenAPI document only: public metadata, no tenant and no data to account for.
    requestAudit: null,
  });
}
