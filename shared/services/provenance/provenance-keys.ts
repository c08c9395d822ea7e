import type { KeyObject } from 'node:crypto';
import { parseP256PublicKey } from '../../domain/signatures.ts';
import type { Clock } from '../../ports/clock.ts';
import type { PublisherKey, PublisherKeyRepository } from '../../ports/publisher-key-repository.ts';
import type { ReleaseSigner } from '../../ports/release-signer.ts';

/** The bound: a revoked publisher key stops its code within a minute, as the kill switch does. */
export const PUBLISHER_KEY_MAX_AGE_MS = 60_000;
const MAX_PUBLISHER_KEYS = 1_000;

export interface LoadedPublisherKey {
  readonly record: PublisherKey;
  /** undefined when the stored PEM is not an ECDSA P-256 key: nothing it signed is proven. */
  readonly publicKey: KeyObject | undefined;
}

interface CachedPublisherKey extends LoadedPublisherKey {
  readonly fetchedAt: number;
}

/**
 * The one cache of verification keys in an instance. The platform public key is fetched once per
 * key id (verifying never calls KMS; a failed fetch is retried). Publisher keys are kept for at
 * most PUBLISHER_KEY_MAX_AGE_MS and each caller says how stale a record it accepts: admissions
 * read through, runs accept up to a minute. A revoked record is final, so it is kept for good.
 */
export class ProvenanceKeys {
  private readonly signer: ReleaseSigner;
  private readonly publisherKeys: PublisherKeyRepository;
  private readonly clock: Clock;
  private readonly platformKeys = new Map<string, Promise<KeyObject>>();
  private readonly publisherKeyCache = new Map<string, CachedPublisherKey>();

  constructor(deps: { signer: ReleaseSigner; publisherKeys: PublisherKeyRepository; clock: Clock }) {
    this.signer = deps.signer;
    this.publisherKeys = deps.publisherKeys;
    this.clock = deps.clock;
  }

  get platformKeyId(): string {
    return this.signer.keyId;
  }

  /** The platform public key for `keyId`, or undefined when that is not the platform's key. */
  platformKey(keyId: string): Promise<KeyObject> | undefined {
    if (keyId !== this.signer.keyId) return undefined;
    let key = this.platformKeys.get(keyId);
    if (!key) {
      key = this.signer.publicKeyPem().then(parseP256PublicKey);
      key.catch(() => this.platformKeys.delete(keyId));
      this.platformKeys.set(keyId, key);
    }
    return key;
  }

  /** The publisher key record, at most `maxAgeMs` old (capped at a minute); undefined when unknown. */
  async publisherKey(keyId: string, maxAgeMs: number): Promise<LoadedPublisherKey | undefined> {
    const now = this.clock.now().getTime();
    const cached = this.publisherKeyCache.get(keyId);
    const maxAge = Math.min(maxAgeMs, PUBLISHER_KEY_MAX_AGE_MS);
    if (cached && (cached.record.revokedAt !== undefined || now - cached.fetchedAt < maxAge)) return cached;
    const record = await this.publisherKeys.get(keyId);
    this.publisherKeyCache.delete(keyId);
    if (!record) return undefined;
    const loaded = { record, publicKey: publicKeyOf(record), fetchedAt: now };
    this.publisherKeyCache.set(keyId, loaded);
    if (this.publisherKeyCache.size > MAX_PUBLISHER_KEYS) {
      const oldest = this.publisherKeyCache.keys().next();
      if (!oldest.done) this.publisherKeyCache.delete(oldest.value);
    }
    return loaded;
  }
}

function publicKeyOf(record: PublisherKey): KeyObject | undefined {
  try {
    return parseP256PublicKey(record.publicKeyPem);
  } catch {
    return undefined;
  }
}
