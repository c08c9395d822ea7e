import { createPrivateKey, createPublicKey, generateKeyPairSync, type KeyObject, sign } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import type { ReleaseSigner } from '../../ports/release-signer.ts';

/**
 * The local stand-in for a KMS signing key (releases, audit digests): a P-256 key in a file under `.data/keys`,
 * producing the same DER ECDSA/SHA-256 signatures KMS returns, so verification code is shared.
 */
export class LocalReleaseSigner implements ReleaseSigner {
  readonly keyId: string;
  private readonly privateKey: KeyObject;

  private constructor(keyId: string, privateKey: KeyObject) {
    this.keyId = keyId;
    this.privateKey = privateKey;
  }

  /** The key in `path` (created on first use); `keyId` names it in what it signs. */
  static fromFile(path: string, keyId = 'local-platform-signing-key'): LocalReleaseSigner {
    if (!existsSync(path)) {
      const { privateKey } = generateKeyPairSync('ec', { namedCurve: 'prime256v1' });
      mkdirSync(dirname(path), { recursive: true });
      writeFileSync(path, privateKey.export({ format: 'pem', type: 'pkcs8' }), { mode: 0o600 });
    }
    return new LocalReleaseSigner(keyId, createPrivateKey(readFileSync(path)));
  }

  async sign(message: Uint8Array): Promise<string> {
    return sign('sha256', message, { key: this.privateKey, dsaEncoding: 'der' }).toString('base64');
  }

  async publicKeyPem(): Promise<string> {
    return createPublicKey(this.privateKey).export({ format: 'pem', type: 'spki' }).toString();
  }
}
