import { createPrivateKey, createPublicKey, type KeyObject, sign } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { publisherKeyIdOf } from '../../../shared/domain/marketplace-keys.ts';
import { type ReleaseClaim, releaseClaimBytes } from '../../../shared/domain/release-claim.ts';
import type { Signature } from '../../../shared/domain/signatures.ts';

/** Loads a publisher's PKCS#8 PEM private key and checks it is ECDSA P-256 before any use. */
export function loadPublisherPrivateKey(path: string): KeyObject {
  const key = createPrivateKey(readFileSync(path));
  if (key.asymmetricKeyType !== 'ec' || key.asymmetricKeyDetails?.namedCurve !== 'prime256v1') {
    throw new Error(`${path} is not an ECDSA P-256 private key`);
  }
  return key;
}

/**
 * The signature the marketplace verifies: ECDSA P-256 over SHA-256 of the exact artifact bytes,
 * base64 DER (what KMS `Sign` returns), named by the key id derived from the public key.
 */
export function signArtifact(artifact: Uint8Array, privateKey: KeyObject): Signature {
  return {
    keyId: publisherKeyIdOf(createPublicKey(privateKey)),
    signature: sign('sha256', artifact, { key: privateKey, dsaEncoding: 'der' }).toString('base64'),
  };
}

/**
 * The signature of a publish that carries an SBOM or release notes: over the release claim
 * (prefix + canonical JSON of plugin, version, artifact digest, SBOM digest, notes), so the
 * marketplace can prove none of them was swapped after signing.
 */
export function signReleaseClaim(claim: ReleaseClaim, privateKey: KeyObject): Signature {
  return signArtifact(releaseClaimBytes(claim), privateKey);
}
