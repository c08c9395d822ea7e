import type { ReleaseSigner } from './release-signer.ts';

/**
 * The key that signs audit chain digests (a KMS ECC_NIST_P256 key of its own in AWS, a local P-256
 * key file locally): base64 DER ECDSA over SHA-256, the same contract as the release signer, so the
 * same adapters serve both with different keys.
 */
export type AuditDigestSigner = Pick<ReleaseSigner, 'keyId' | 'sign'>;
