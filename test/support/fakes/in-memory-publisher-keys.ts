import type { PublisherKey, PublisherKeyRepository } from '../../../shared/ports/publisher-key-repository.ts';

/** The DynamoDB adapter's contract in memory: first writer of a key id wins, revocation sticks. */
export class InMemoryPublisherKeys implements PublisherKeyRepository {
  readonly keys = new Map<string, PublisherKey>();

  async register(key: PublisherKey) {
    const existing = this.keys.get(key.keyId);
    if (existing) return { key: existing, isNew: false };
    this.keys.set(key.keyId, key);
    return { key, isNew: true };
  }

  async get(keyId: string) {
    return this.keys.get(keyId);
  }

  async revoke(keyId: string, change: { revokedAt: string; publisherId?: string }) {
    const existing = this.keys.get(keyId);
    if (!existing) return undefined;
    if (change.publisherId !== undefined && existing.publisherId !== change.publisherId) return undefined;
    const revoked = { ...existing, revokedAt: existing.revokedAt ?? change.revokedAt };
    this.keys.set(keyId, revoked);
    return revoked;
  }
}
