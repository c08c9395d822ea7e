import { createHash, createPublicKey, type KeyObject, verify } from 'node:crypto';
import { z } from 'zod';

/** `{ keyId, signature }`: ECDSA P-256 over SHA-256 of the signed bytes, base64 of the DER encoding. */
export const SignatureSchema = z.object({
  keyId: z.string().min(1).max(256),
  signature: z
    .string()
    .min(8)
    .max(256)
    .regex(/^[A-Za-z0-9+/]+={0,2}$/, 'must be base64'),
});
export type Signature = z.infer<typeof SignatureSchema>;

export const sha256Hex = (bytes: Uint8Array | string): string =>
  createHash('sha256').update(bytes).digest('hex');

/**
 * Parses an SPKI PEM and accepts only EC P-256 keys: a publisher cannot register an RSA or
 * other-curve key that the verifier would then treat differently.
 */
export function parseP256PublicKey(spkiPem: string): KeyObject {
  const key = createPublicKey({ key: spkiPem, format: 'pem' });
  if (key.asymmetricKeyType !== 'ec' || key.asymmetricKeyDetails?.namedCurve !== 'prime256v1') {
    throw new Error('not an ECDSA P-256 public key');
  }
  return key;
}

/** Verifies a DER ECDSA P-256/SHA-256 signature, the encoding KMS `Sign` returns. */
export function verifyP256Signature(
  publicKey: KeyObject,
  message: Uint8Array,
  signatureBase64: string,
): boolean {
  try {
    return verify(
      'sha256',
      message,
      { key: publicKey, dsaEncoding: 'der' },
      Buffer.from(signatureBase64, 'base64'),
    );
  } catch {
    return false;
  }
}
