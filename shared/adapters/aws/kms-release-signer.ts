import { createHash, createPublicKey } from 'node:crypto';
import { GetPublicKeyCommand, type KMSClient, SignCommand } from '@aws-sdk/client-kms';
import type { ReleaseSigner } from '../../ports/release-signer.ts';

/** Signs with a KMS ECC_NIST_P256 key: the digest is computed here and sent with `MessageType: DIGEST`. */
export class KmsReleaseSigner implements ReleaseSigner {
  readonly keyId: string;
  private readonly client: KMSClient;
  private publicKey: Promise<string> | undefined;

  constructor(client: KMSClient, keyId: string) {
    this.client = client;
    this.keyId = keyId;
  }

  async sign(message: Uint8Array): Promise<string> {
    const result = await this.client.send(
      new SignCommand({
        KeyId: this.keyId,
        Message: createHash('sha256').update(message).digest(),
        MessageType: 'DIGEST',
        SigningAlgorithm: 'ECDSA_SHA_256',
      }),
    );
    if (!result.Signature) throw new Error('KMS returned no signature');
    return Buffer.from(result.Signature).toString('base64');
  }

  publicKeyPem(): Promise<string> {
    this.publicKey ??= this.client.send(new GetPublicKeyCommand({ KeyId: this.keyId })).then((result) => {
      if (!result.PublicKey) throw new Error('KMS returned no public key');
      return createPublicKey({ key: Buffer.from(result.PublicKey), format: 'der', type: 'spki' })
        .export({ format: 'pem', type: 'spki' })
        .toString();
    });
    this.publicKey.catch(() => {
      this.publicKey = undefined;
    });
    return this.publicKey;
  }
}
