import type { OutboxEntries } from '../../../shared/ports/outbox.ts';
import type { PublisherKey, PublisherKeyRepository } from '../../../shared/ports/publisher-key-repository.ts';
import { InMemoryOutbox } from './in-memory-outbox.ts';

/**
 * The DynamoDB adapter's contract in memory: first writer of a key id wins, revocation sticks. A
 * stored change commits its outbox entries to `outbox`; a write that stores nothing commits none.
 */
export class InMemoryPublisherKeys implements PublisherKeyRepository {
  readonly keys = new Map<string, PublisherKey>();
  readonly outbox: InMemoryOutbox;

  constructor(outbox = new InMemoryOutbox()) {
    this.outbox = outbox;
  }

  async register(key: PublisherKey, outbox: OutboxEntries = []) {
    const existing = this.keys.get(key.keyId);
    if (existing) return { key: existing, isNew: false };
    this.keys.set(key.keyId, key);
    this.outbox.commit(outbox);
    return { key, isNew: true };
  }

  async get(keyId: string) {
    return this.keys.get(keyId);
  }

  async revoke(
    keyId: string,
    change: { revokedAt: string; publisherId?: string },
    outbox: OutboxEntries = [],
  ) {
    const existing = this.keys.get(keyId);
    if (!existing) return undefined;
    if (change.publisherId !== undefined && existing.publisherId !== change.publisherId) return undefined;
    const revoked = { ...existing, revokedAt: existing.revokedAt ?? change.revokedAt };
    this.keys.set(keyId, revoked);
    this.outbox.commit(outbox);
    return revoked;
  }
}
