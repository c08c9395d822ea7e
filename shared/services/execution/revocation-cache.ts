import type { Clock } from '../../ports/clock.ts';
import type { ReleaseCatalogue } from '../../ports/release-catalogue.ts';

/** The bound: a revocation stops every tenant's runs within a minute. */
export const REVOCATION_CACHE_MS = 60_000;
const MAX_ENTRIES = 1_000;

interface Entry {
  readonly isRevoked: boolean;
  readonly checkedAt: number;
}

/**
 * Answers "is this plugin version revoked?" from the marketplace catalogue, cached per plugin and
 * version for at most a minute so that the kill switch costs one catalogue read per minute per
 * version and instance. A revocation is final, so a revoked answer is kept for the instance's life.
 * A catalogue failure rejects: the caller refuses to run rather than assume "not revoked".
 */
export class RevocationCache {
  private readonly releases: ReleaseCatalogue;
  private readonly clock: Clock;
  private readonly ttlMs: number;
  private readonly entries = new Map<string, Entry>();
  private readonly inFlight = new Map<string, Promise<boolean>>();

  constructor(options: { releases: ReleaseCatalogue; clock: Clock; ttlMs?: number }) {
    this.releases = options.releases;
    this.clock = options.clock;
    this.ttlMs = Math.min(options.ttlMs ?? REVOCATION_CACHE_MS, REVOCATION_CACHE_MS);
  }

  isRevoked(pluginId: string, version: string): Promise<boolean> {
    const key = `${pluginId}@${version}`;
    const now = this.clock.now().getTime();
    const cached = this.entries.get(key);
    if (cached && (cached.isRevoked || now - cached.checkedAt < this.ttlMs)) {
      return Promise.resolve(cached.isRevoked);
    }
    const pending = this.inFlight.get(key);
    if (pending) return pending;
    const lookup = this.releases
      .getRelease(pluginId, version)
      .then((release) => {
        const isRevoked = release?.status === 'revoked';
        this.remember(key, { isRevoked, checkedAt: now });
        return isRevoked;
      })
      .finally(() => this.inFlight.delete(key));
    this.inFlight.set(key, lookup);
    return lookup;
  }

  private remember(key: string, entry: Entry): void {
    this.entries.delete(key);
    this.entries.set(key, entry);
    if (this.entries.size > MAX_ENTRIES) {
      const oldest = this.entries.keys().next();
      if (!oldest.done) this.entries.delete(oldest.value);
    }
  }
}
