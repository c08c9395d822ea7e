import type {
  CataloguePublisher,
  CatalogueRelease,
  ReleaseCatalogue,
} from '../../../shared/ports/release-catalogue.ts';

export class InMemoryReleaseCatalogue implements ReleaseCatalogue {
  readonly releases = new Map<string, CatalogueRelease>();
  lookups = 0;

  async getRelease(pluginId: string, version: string) {
    this.lookups++;
    return this.releases.get(`${pluginId}@${version}`);
  }

  async listReleases(pluginId: string) {
    return [...this.releases.values()].filter((release) => release.pluginId === pluginId);
  }

  readonly publishers = new Map<string, CataloguePublisher>();

  async getPublisher(publisherId: string) {
    return this.publishers.get(publisherId);
  }

  put(release: CatalogueRelease): void {
    this.releases.set(`${release.pluginId}@${release.version}`, release);
  }
}
