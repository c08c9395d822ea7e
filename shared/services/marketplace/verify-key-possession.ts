import type { KeyObject } from 'node:crypto';
import { keyPossessionUnproven, keyProofExpired } from '../../domain/errors/marketplace-errors.ts';
import {
  isWithinProofWindow,
  KEY_PROOF_MAX_SKEW_MS,
  type KeyPossessionProof,
  keyPossessionStatement,
} from '../../domain/publisher-key-proof.ts';
import { verifyP256Signature } from '../../domain/signatures.ts';

/**
 * Refuses a registration whose proof does not show that the caller holds the private key. The
 * statement is rebuilt here from the publisher id the server derived from the caller's token and
 * the key id derived from the submitted key: the request cannot name either.
 *
 * The signature is checked before the time window, so KEY_PROOF_EXPIRED only ever tells a caller
 * who really holds the key that its clock is off; anyone else learns only KEY_POSSESSION_UNPROVEN.
 */
export function verifyKeyPossession(
  publicKey: KeyObject,
  claim: { publisherId: string; keyId: string },
  proof: KeyPossessionProof,
  now: Date,
): void {
  let statement: Uint8Array;
  try {
    statement = keyPossessionStatement({ ...claim, signedAt: proof.signedAt });
  } catch (cause) {
    throw Object.assign(keyPossessionUnproven(), { cause });
  }
  if (!verifyP256Signature(publicKey, statement, proof.signature)) throw keyPossessionUnproven();
  if (!isWithinProofWindow(proof.signedAt, now)) throw keyProofExpired(KEY_PROOF_MAX_SKEW_MS / 1000);
}
