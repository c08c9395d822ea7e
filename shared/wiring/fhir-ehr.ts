import { SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import type { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { DynamoDbEhrConnectionRepository } from '../adapters/aws/dynamodb-ehr-connection-repository.ts';
import { createSecretsManagerEhrSigningKeys } from '../adapters/aws/secrets-manager-ehr-signing-keys.ts';
import { createFhirEhrAdapter } from '../adapters/fhir/create-fhir-ehr-adapter.ts';
import { createFileEhrSigningKeys } from '../adapters/local/file-ehr-signing-keys.ts';
import type { Clock } from '../ports/clock.ts';
import type { EhrSigningKeys } from '../ports/ehr-signing-keys.ts';

/** The settings every function that reaches a tenant's EHR reads (EHR_ENV_SHAPE and the tables). */
export interface FhirEhrSettings {
  readonly PLATFORM_MODE: 'aws' | 'local';
  readonly PLUGINS_TABLE: string;
  readonly AUDIT_TABLE: string;
  readonly EHR_SIGNING_SECRET_PREFIX: string;
  readonly EHR_SIGNING_KMS_KEY_ID?: string | undefined;
  readonly LOCAL_EHR_KEYS_DIRECTORY?: string | undefined;
  readonly EHR_LOOPBACK_ORIGINS?: readonly string[] | undefined;
}

/** The tenants' signing keys: Secrets Manager deployed, a key directory locally. */
export function createEhrSigningKeys(settings: FhirEhrSettings): EhrSigningKeys {
  if (settings.PLATFORM_MODE === 'local') {
    // Every config that carries these settings refuses local mode without it.
    if (!settings.LOCAL_EHR_KEYS_DIRECTORY) throw new Error('LOCAL_EHR_KEYS_DIRECTORY is required locally');
    return createFileEhrSigningKeys(settings.LOCAL_EHR_KEYS_DIRECTORY);
  }
  return createSecretsManagerEhrSigningKeys(new SecretsManagerClient({}), {
    prefix: settings.EHR_SIGNING_SECRET_PREFIX,
    kmsKeyId: settings.EHR_SIGNING_KMS_KEY_ID,
  });
}

/**
 * The tenants' EHRs over FHIR R4, as one function instance reaches them: the connection store,
 * the signing keys and the FHIR adapter (repository, subscriptions, probe) with its one token
 * cache. Built once per cold start.
 */
export function createFhirEhr(
  settings: FhirEhrSettings,
  documentClient: DynamoDBDocumentClient,
  clock: Clock,
  options: { readonly connectionCacheMs?: number } = {},
) {
  const connections = new DynamoDbEhrConnectionRepository(
    documentClient,
    settings.PLUGINS_TABLE,
    settings.AUDIT_TABLE,
  );
  const signingKeys = createEhrSigningKeys(settings);
  const adapter = createFhirEhrAdapter({
    connections,
    signingKeys,
    clock,
    allowedLoopbackOrigins: settings.EHR_LOOPBACK_ORIGINS,
    connectionCacheMs: options.connectionCacheMs,
  });
  return { connections, signingKeys, ...adapter };
}
