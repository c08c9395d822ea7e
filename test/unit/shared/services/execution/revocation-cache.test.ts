import { describe, expect, it } from 'vitest';
import type { CatalogueRelease } from '../../../../../shared/ports/release-catalogue.ts';
import { RevocationCache } from '../../../../../shared/services/execution/revocation-cache.ts';
import { InMemoryReleaseCatalogue } from '../../../../support/fakes/in-memory-release-catalogue.ts';

function release(status: 'active' | 'revoked'): CatalogueRelease {
  return {
    pluginId: 'p',
    version: '1.0.0',
    sha256: 'a'.repeat(64),
    publisherId: 'pub',
    metadata: {
      name: 'n',
      description: 'd',
      author: 'a',
      permissions: [],
      events: [],
      networkHosts: [],
      dependencies: [],
      limits: {},
      tags: [],
    },
    status,
    publishedAt: '2030-01-01T00:00:00.000Z',
  };
}

describe('RevocationCache', () => {
  it('reads the catalogue at most once per minute per version, and sees a revocation after that', async () => {
    let now = 0;
    const releases = new InMemoryReleaseCatalogue();
    releases.put(release('active'));
    const cache = new RevocationCache({ releases, clock: { now: () => new Date(now) } });

    const first = await cache.isRevoked('p', '1.0.0');
    releases.put(release('revoked'));
    now += 59_999;
    const cached = await cache.isRevoked('p', '1.0.0');
    now += 1;
    const refreshed = await cache.isRevoked('p', '1.0.0');

    expect([first, cached, refreshed]).toEqual([false, false, true]);
    expect(releases.lookups).toBe(2);
  });

  it('never lets a configured ttl exceed a minute, and keeps a revocation for good', async () => {
    let now = 0;
    const releases = new InMemoryReleaseCatalogue();
    releases.put(release('revoked'));
    const cache = new RevocationCache({ releases, clock: { now: () => new Date(now) }, ttlMs: 3_600_000 });

    await cache.isRevoked('p', '1.0.0');
    releases.put(release('active'));
    now += 10 * 60_000;

    expect(await cache.isRevoked('p', '1.0.0')).toBe(true);
  });

  it('rejects when the catalogue fails, so the caller refuses instead of assuming not revoked', async () => {
    const cache = new RevocationCache({
      releases: {
        getRelease: async () => {
          throw new Error('catalogue down');
        },
        listReleases: async () => [],
        getPublisher: async () => undefined,
      },
      clock: { now: () => new Date() },
    });

    await expect(cache.isRevoked('p', '1.0.0')).rejects.toThrow('catalogue down');
  });
});
