import type { OutboxEntries } from './outbox.ts';

export interface PublisherKey {
  readonly keyId: string;
  readonly publisherId: string;
  /** SPKI PEM of an ECDSA P-256 public key. */
  readonly publicKeyPem: string;
  readonly createdAt: string;
  /** Set once when the owner (or a platform admin) revokes the key; never cleared. */
  readonly revokedAt?: string | undefined;
}

/** Publisher signing keys, registered through the marketplace (`POST /v1/publishers/keys`). */
export interface PublisherKeyRepository {
  /**
   * Stores the key unless a key with its id exists, in one conditional write, so two publishers
   * racing for one key cannot both win. Answers the key as stored: the new one (`isNew`), or the
   * existing one, which may belong to another publisher or be revoked: the caller decides.
   * `outbox` is stored in the same transaction as a new key, and not at all otherwise.
   */
  register(key: PublisherKey, outbox: OutboxEntries): Promise<{ key: PublisherKey; isNew: boolean }>;
  get(keyId: string): Promise<PublisherKey | undefined>;
  /**
   * Sets `revokedAt` in one conditional write, keeping the first time on a repeat. With
   * `publisherId` only that publisher's key matches. Answers the key after the change, or
   * undefined when no key matched (unknown id, or another publisher's key). `outbox` is stored in
   * the same transaction when a key matched, and not at all otherwise.
   */
  revoke(
    keyId: string,
    change: { revokedAt: string; publisherId?: string },
    outbox: OutboxEntries,
  ): Promise<PublisherKey | undefined>;
}
