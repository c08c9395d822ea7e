import { createHttpHandler } from '../../shared/http/http-handler.ts';
import { createLogger } from '../../shared/observability/logger.ts';
import { loadLifecycleConfig } from './config.ts';
import { lifecycleRoutes } from './routes.ts';
import { wireLifecycle } from './wiring.ts';

const config = loadLifecycleConfig();
const dependencies = wireLifecycle(config);

export const handler = createHttpHandler({
  functionName: 'lifecycle',
  logger: createLogger('plugin-lifecycle'),
  verifier: async () => dependencies.verifier,
  routes: lifecycleRoutes(dependencies),
});
