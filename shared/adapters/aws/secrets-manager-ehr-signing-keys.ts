import {
  CreateSecretCommand,
  GetSecretValueCommand,
  PutSecretValueCommand,
  ResourceExistsException,
  ResourceNotFoundException,
  type SecretsManagerClient,
} from '@aws-sdk/client-secrets-manager';
import type { TenantId } from '../../domain/identifiers.ts';
import { type EhrKeySetStore, JoseEhrSigningKeys } from '../jose-ehr-signing-keys.ts';

/** The secret of a tenant's key set: the IAM grants are scoped to `<prefix>/ehr-signing/*`. */
export const ehrSigningSecretName = (prefix: string, tenantId: string): string =>
  `${prefix}/ehr-signing/${tenantId}`;

/** The tag every key-set secret carries: the execution function may read only by it. */
export const TENANT_TAG = 'tenant_id';

/**
 * One secret per tenant, encrypted with the platform's data key, tagged with the tenant. Only
 * `CreateSecret` makes one (it fails if the name exists, so two first saves cannot both win).
 */
export class SecretsManagerEhrKeySetStore implements EhrKeySetStore {
  private readonly client: SecretsManagerClient;
  private readonly prefix: string;
  private readonly kmsKeyId: string | undefined;

  constructor(client: SecretsManagerClient, options: { prefix: string; kmsKeyId?: string | undefined }) {
    this.client = client;
    this.prefix = options.prefix;
    this.kmsKeyId = options.kmsKeyId;
  }

  async read(tenantId: TenantId): Promise<string | undefined> {
    try {
      const result = await this.client.send(new GetSecretValueCommand({ SecretId: this.nameOf(tenantId) }));
      return result.SecretString;
    } catch (error) {
      if (error instanceof ResourceNotFoundException) return undefined;
      throw error;
    }
  }

  async create(tenantId: TenantId, value: string): Promise<boolean> {
    try {
      await this.client.send(
        new CreateSecretCommand({
          Name: this.nameOf(tenantId),
          SecretString: value,
          ...(this.kmsKeyId ? { KmsKeyId: this.kmsKeyId } : {}),
          Description: 'Gradiant Plugins: the tenant’s SMART Backend Services signing keys (private JWKs)',
          Tags: [{ Key: TENANT_TAG, Value: tenantId }],
        }),
      );
      return true;
    } catch (error) {
      if (error instanceof ResourceExistsException) return false;
      throw error;
    }
  }

  async replace(tenantId: TenantId, value: string): Promise<void> {
    await this.client.send(
      new PutSecretValueCommand({ SecretId: this.nameOf(tenantId), SecretString: value }),
    );
  }

  private nameOf(tenantId: TenantId): string {
    return ehrSigningSecretName(this.prefix, tenantId);
  }
}

export const createSecretsManagerEhrSigningKeys = (
  client: SecretsManagerClient,
  options: { prefix: string; kmsKeyId?: string | undefined },
) => new JoseEhrSigningKeys(new SecretsManagerEhrKeySetStore(client, options));
