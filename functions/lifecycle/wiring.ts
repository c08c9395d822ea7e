import { createDocumentClient } from '../../shared/adapters/aws/dynamodb-document-client.ts';
import { DynamoDbInstallationRepository } from '../../shared/adapters/aws/dynamodb-installation-repository.ts';
import { createTokenVerifier } from '../../shared/auth/token-verifier.ts';
import { authOptionsFrom } from '../../shared/config/platform-env.ts';
import type { LifecycleConfig } from './config.ts';

/** Builds the adapters once per cold start; routes receive only ports. */
export function wireLifecycle(config: LifecycleConfig) {
  const documentClient = createDocumentClient();
  return {
    verifier: createTokenVerifier(authOptionsFrom(config)),
    installations: new DynamoDbInstallationRepository(documentClient, config.PLUGINS_TABLE),
  };
}

export type LifecycleDependencies = ReturnType<typeof wireLifecycle>;
