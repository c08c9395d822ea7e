import { createDocumentClient } from '../../shared/adapters/aws/dynamodb-document-client.ts';
import { DynamoDbInstallationRepository } from '../../shared/adapters/aws/dynamodb-installation-repository.ts';
import { createTokenVerifier } from '../../shared/auth/token-verifier.ts';
import { authOptionsFrom } from '../../shared/config/platform-env.ts';
import { createHttpHandler } from '../../shared/http/http-handler.ts';
import { createLogger } from '../../shared/observability/logger.ts';
import type { LifecycleConfig } from './config.ts';
import { lifecycleRoutes } from './routes.ts';

/** Builds the adapters once per cold start; routes receive only ports. */
export function wireLifecycle(config: LifecycleConfig) {
  const documentClient = createDocumentClient();
  return {
    verifier: createTokenVerifier(authOptionsFrom(config)),
    installations: new DynamoDbInstallationRepository(documentClient, config.PLUGINS_TABLE),
  };
}

export type LifecycleDependencies = ReturnType<typeof wireLifecycle>;

export function createLifecycleHandler(config: LifecycleConfig, dependencies = wireLifecycle(config)) {
  return createHttpHandler({
    functionName: 'lifecycle',
    logger: createLogger('plugin-lifecycle'),
    verifier: async () => dependencies.verifier,
    routes: lifecycleRoutes(dependencies),
  });
}
