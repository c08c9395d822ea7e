import { createPublicKey } from 'node:crypto';
import { GetPublicKeyCommand, type KMSClient } from '@aws-sdk/client-kms';
import type { AuditDigestVerifier } from '../../ports/audit-chain-store.ts';

/**
 * The one trusted digest key, from KMS `GetPublicKey` (the deployed ECC_NIST_P256 signing key),
 * fetched once. A digest naming any other key id gets no key, so its signature is invalid.
 */
export class KmsAuditDigestVerifier implements AuditDigestVerifier {
  private readonly client: KMSClient;
  private readonly trustedKeyId: string;
  private pending: Promise<{ arn: string | undefined; pem: string | undefined }> | undefined;

  constructor(client: KMSClient, trustedKeyId: string) {
    this.client = client;
    this.trustedKeyId = trustedKeyId;
  }

  async publicKeyPem(keyId: string): Promise<string | undefined> {
    this.pending ??= this.fetch();
    const { arn, pem } = await this.pending;
    return keyId === this.trustedKeyId || keyId === arn ? pem : undefined;
  }

  private async fetch(): Promise<{ arn: string | undefined; pem: string | undefined }> {
    const result = await this.client.send(new GetPublicKeyCommand({ KeyId: this.trustedKeyId }));
    if (!result.PublicKey) return { arn: result.KeyId, pem: undefined };
    const pem = createPublicKey({ key: Buffer.from(result.PublicKey), format: 'der', type: 'spki' })
      .export({ format: 'pem', type: 'spki' })
      .toString();
    return { arn: result.KeyId, pem };
  }
}
