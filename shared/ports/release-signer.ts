/**
 * The platform's signing key (KMS ECC_NIST_P256 in AWS, a local P-256 key locally). `sign` returns
 * base64 DER ECDSA over SHA-256 of `message`; verification uses the public key, fetched once and
 * cached, so verifying never calls KMS.
 */
export interface ReleaseSigner {
  readonly keyId: string;
  sign(message: Uint8Array): Promise<string>;
  publicKeyPem(): Promise<string>;
}
