import { generateKeyPairSync, type KeyObject, sign } from 'node:crypto';
import { proveKeyPossession } from '../../shared/domain/prove-key-possession.ts';

/** A publisher's P-256 key pair and the signature format the platform expects (base64 DER). */
export function createPublisherKeyPair() {
  const { privateKey, publicKey } = generateKeyPairSync('ec', { namedCurve: 'prime256v1' });
  return {
    privateKey,
    publicKeyPem: publicKey.export({ format: 'pem', type: 'spki' }).toString(),
    sign: (bytes: string | Uint8Array) => signP256(privateKey, bytes),
    /** The `POST /v1/publishers/keys` body, proving possession for `publisherId` (now, by default). */
    registration: (publisherId: string, signedAt = new Date()) =>
      proveKeyPossession(privateKey, publisherId, signedAt),
  };
}

export function signP256(privateKey: KeyObject, bytes: string | Uint8Array): string {
  return sign('sha256', typeof bytes === 'string' ? Buffer.from(bytes) : bytes, {
    key: privateKey,
    dsaEncoding: 'der',
  }).toString('base64');
}
