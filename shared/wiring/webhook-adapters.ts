import { KMSClient } from '@aws-sdk/client-kms';
import type { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { DynamoDbWebhookRepository } from '../adapters/aws/dynamodb-webhook-repository.ts';
import { KmsWebhookSecretSealer } from '../adapters/aws/kms-webhook-secret-sealer.ts';
import { LocalWebhookSecretSealer } from '../adapters/local/local-webhook-secret-sealer.ts';
import type { WebhookRepository } from '../ports/webhook-repository.ts';
import type { WebhookSecretSealer } from '../ports/webhook-secret-sealer.ts';

interface WebhookStoreEnv {
  readonly PLATFORM_MODE: 'aws' | 'local';
  readonly PLUGINS_TABLE: string;
  readonly AUDIT_TABLE: string;
  readonly WEBHOOK_SECRET_KEY_ID?: string | undefined;
  readonly LOCAL_WEBHOOK_SECRET_KEY_FILE?: string | undefined;
}

/**
 * The webhooks' store and secret sealer of a function, once per cold start. Fails closed: without
 * its key the function does not start (the config refuses it first; this refuses it again).
 */
export function createWebhookStores(
  env: WebhookStoreEnv,
  documentClient: DynamoDBDocumentClient,
  options: { kms?: KMSClient } = {},
): { webhooks: WebhookRepository; sealer: WebhookSecretSealer } {
  const webhooks = new DynamoDbWebhookRepository(documentClient, env.PLUGINS_TABLE, env.AUDIT_TABLE);
  if (env.PLATFORM_MODE === 'local') {
    if (!env.LOCAL_WEBHOOK_SECRET_KEY_FILE)
      throw new Error('LOCAL_WEBHOOK_SECRET_KEY_FILE is required to keep webhook secrets');
    return { webhooks, sealer: LocalWebhookSecretSealer.fromFile(env.LOCAL_WEBHOOK_SECRET_KEY_FILE) };
  }
  if (!env.WEBHOOK_SECRET_KEY_ID)
    throw new Error('WEBHOOK_SECRET_KEY_ID is required to keep webhook secrets');
  return {
    webhooks,
    sealer: new KmsWebhookSecretSealer(options.kms ?? new KMSClient({}), env.WEBHOOK_SECRET_KEY_ID),
  };
}
