import type { PublisherKey, PublisherKeyRepository } from '../../../shared/ports/publisher-key-repository.ts';

/** The DynamoDB adapter's contract in memory: first writer of a key id wins. */
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
}
