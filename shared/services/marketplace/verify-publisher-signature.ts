import {
  publisherKeyRevoked,
  publisherSignatureInvalid,
  untrustedPublisherKey,
} from '../../domain/marketplace-errors.ts';
import type { Signature } from '../../domain/signatures.ts';
import { parseP256PublicKey, verifyP256Signature } from '../../domain/signatures.ts';
import type { PublisherKeyRepository } from '../../ports/publisher-key-repository.ts';

/**
 * The artifact must be signed by a live key that this publisher registered: a key of another
 * publisher, a revoked key or an unknown id is refused before the signature is even checked.
 * Only the owner learns that its key was revoked; to anyone else it stays an untrusted key.
 */
export async function verifyPublisherSignature(
  bytes: Uint8Array,
  signature: Signature,
  publisherId: string,
  publisherKeys: PublisherKeyRepository,
): Promise<void> {
  const key = await publisherKeys.get(signature.keyId);
  if (!key || key.publisherId !== publisherId) throw untrustedPublisherKey();
  if (key.revokedAt !== undefined) throw publisherKeyRevoked();
  if (!verifyP256Signature(parseP256PublicKey(key.publicKeyPem), bytes, signature.signature)) {
    throw publisherSignatureInvalid();
  }
}
