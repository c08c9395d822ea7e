import { createPublicKey, type KeyObject, sign } from 'node:crypto';
import type { RegisterPublisherKeyRequest } from './marketplace.ts';
import { publisherKeyIdOf } from './marketplace-keys.ts';
import { keyPossessionStatement } from './publisher-key-proof.ts';

/**
 * The body of `POST /v1/publishers/keys` for a P-256 private key: its public key and a proof,
 * signed at `signedAt`, that its holder registers it for `publisherId`. The one producer of the
 * statement the server verifies, used by the CLI and the demo seed alike.
 */
export function proveKeyPossession(
  privateKey: KeyObject,
  publisherId: string,
  signedAt: Date,
): RegisterPublisherKeyRequest {
  const publicKey = createPublicKey(privateKey);
  const statement = keyPossessionStatement({
    publisherId,
    keyId: publisherKeyIdOf(publicKey),
    signedAt: signedAt.toISOString(),
  });
  return {
    publicKeyPem: publicKey.export({ format: 'pem', type: 'spki' }).toString(),
    proof: {
      signedAt: signedAt.toISOString(),
      signature: sign('sha256', statement, { key: privateKey, dsaEncoding: 'der' }).toString('base64'),
    },
  };
}
