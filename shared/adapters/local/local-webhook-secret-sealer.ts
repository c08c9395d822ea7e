import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';
import type { WebhookSecretContext, WebhookSecretSealer } from '../../ports/webhook-secret-sealer.ts';
import { readOrCreateKeyFile } from './local-key-file.ts';

const KEY_BYTES = 32;
const IV_BYTES = 12;
const TAG_BYTES = 16;
const VERSION = 'local-v1';

/** The tenant and webhook ids as additional data: a sealed secret opens for its own webhook only. */
const additionalDataOf = (context: WebhookSecretContext) =>
  Buffer.from(JSON.stringify([VERSION, context.tenantId, context.webhookId]), 'utf8');

/**
 * The local stand-in for KMS Encrypt/Decrypt: AES-256-GCM (Node's crypto) under a 32-byte key file
 * in `.data/keys`, the ids bound as additional data the way KMS binds an encryption context.
 * Sealed: `local-v1.<base64 iv>.<base64 ciphertext>.<base64 tag>`.
 */
export class LocalWebhookSecretSealer implements WebhookSecretSealer {
  private readonly key: Uint8Array;

  private constructor(key: Uint8Array) {
    this.key = key;
  }

  static fromFile(path: string): LocalWebhookSecretSealer {
    return new LocalWebhookSecretSealer(readOrCreateKeyFile(path, KEY_BYTES, 'webhook secret key'));
  }

  async seal(secret: string, context: WebhookSecretContext): Promise<string> {
    const iv = randomBytes(IV_BYTES);
    const cipher = createCipheriv('aes-256-gcm', this.key, iv);
    cipher.setAAD(additionalDataOf(context));
    const ciphertext = Buffer.concat([cipher.update(secret, 'utf8'), cipher.final()]);
    return [VERSION, iv, ciphertext, cipher.getAuthTag()]
      .map((part) => (typeof part === 'string' ? part : part.toString('base64')))
      .join('.');
  }

  async open(sealed: string, context: WebhookSecretContext): Promise<string> {
    const [version, iv, ciphertext, tag, ...rest] = sealed.split('.');
    if (version !== VERSION || !iv || !ciphertext || !tag || rest.length > 0)
      throw new Error('not a locally sealed webhook secret');
    const decipher = createDecipheriv('aes-256-gcm', this.key, Buffer.from(iv, 'base64'), {
      authTagLength: TAG_BYTES,
    });
    decipher.setAAD(additionalDataOf(context));
    decipher.setAuthTag(Buffer.from(tag, 'base64'));
    return Buffer.concat([decipher.update(Buffer.from(ciphertext, 'base64')), decipher.final()]).toString(
      'utf8',
    );
  }
}
