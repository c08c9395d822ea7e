import { ConflictError } from '../../../shared/domain/errors.ts';
import type { PublisherKey, PublisherKeyRepository } from '../../../shared/ports/publisher-key-repository.ts';

export class InMemoryPublisherKeys implements PublisherKeyRepository {
  readonly keys = new Map<string, PublisherKey>();

  async create(key: PublisherKey) {
    if (this.keys.has(key.keyId)) throw new ConflictError('PUBLISHER_KEY_EXISTS', 'exists');
    this.keys.set(key.keyId, key);
  }

  async get(keyId: string) {
    return this.keys.get(keyId);
  }
}
