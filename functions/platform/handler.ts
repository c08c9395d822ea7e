import { createHttpHandler } from '../../shared/http/http-handler.ts';
import { createLogger } from '../../shared/observability/logger.ts';
import { loadPlatformConfig } from './config.ts';
import { platformRoutes } from './routes.ts';

const config = loadPlatformConfig();

export const handler = createHttpHandler({
  functionName: 'platform',
  logger: createLogger('platform'),
  verifier: () => Promise.reject(new Error('The platform function serves no authenticated route')),
  routes: platformRoutes(config),
});
