export interface PublisherKey {
  readonly keyId: string;
  readonly publisherId: string;
  /** SPKI PEM of an ECDSA P-256 public key. */
  readonly publicKeyPem: string;
  readonly createdAt: string;
  readonly revokedAt?: string | undefined;
}

/** Publisher signing keys, registered through the marketplace (`POST /v1/publishers/keys`). */
export interface PublisherKeyRepository {
  /** Fails with a ConflictError when the key id exists. */
  create(key: PublisherKey): Promise<void>;
  get(keyId: string): Promise<PublisherKey | undefined>;
}
