import { DecryptCommand, EncryptCommand, type KMSClient } from '@aws-sdk/client-kms';
import type { WebhookSecretContext, WebhookSecretSealer } from '../../ports/webhook-secret-sealer.ts';

const encryptionContextOf = (context: WebhookSecretContext) => ({
  tenantId: context.tenantId,
  webhookId: context.webhookId,
});

/**
 * Webhook secrets encrypted with the platform's webhook KMS key (symmetric). The tenant and
 * webhook ids are the encryption context, so a ciphertext copied onto another webhook does not
 * decrypt, and CloudTrail's Decrypt entries name whose secret was opened. The webhooks function
 * may only Encrypt, the delivery function only Decrypt.
 */
export class KmsWebhookSecretSealer implements WebhookSecretSealer {
  private readonly kms: KMSClient;
  private readonly keyId: string;

  constructor(kms: KMSClient, keyId: string) {
    this.kms = kms;
    this.keyId = keyId;
  }

  async seal(secret: string, context: WebhookSecretContext): Promise<string> {
    const result = await this.kms.send(
      new EncryptCommand({
        KeyId: this.keyId,
        Plaintext: Buffer.from(secret, 'utf8'),
        EncryptionContext: encryptionContextOf(context),
      }),
    );
    if (!result.CiphertextBlob) throw new Error('KMS answered no ciphertext');
    return Buffer.from(result.CiphertextBlob).toString('base64');
  }

  async open(sealed: string, context: WebhookSecretContext): Promise<string> {
    const result = await this.kms.send(
      new DecryptCommand({
        KeyId: this.keyId,
        CiphertextBlob: Buffer.from(sealed, 'base64'),
        EncryptionContext: encryptionContextOf(context),
      }),
    );
    if (!result.Plaintext) throw new Error('KMS answered no plaintext');
    return Buffer.from(result.Plaintext).toString('utf8');
  }
}
