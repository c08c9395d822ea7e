import type { KeyObject } from 'node:crypto';
import { parseP256PublicKey } from '../../domain/signatures.ts';
import type { ReleaseSigner } from '../../ports/release-signer.ts';

export interface PlatformKey {
  readonly keyId: string;
  readonly publicKey: KeyObject;
}

/** Fetches the platform's public key once per function instance: verification never calls KMS. */
export function cachedPlatformKey(signer: ReleaseSigner): () => Promise<PlatformKey> {
  let cached: Promise<PlatformKey> | undefined;
  return () => {
    cached ??= signer
      .publicKeyPem()
      .then((pem) => ({ keyId: signer.keyId, publicKey: parseP256PublicKey(pem) }));
    cached.catch(() => {
      cached = undefined;
    });
    return cached;
  };
}
