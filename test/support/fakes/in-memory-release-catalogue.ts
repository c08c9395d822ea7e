import type { CatalogueRelease, ReleaseCatalogue } from '../../../shared/ports/release-catalogue.ts';

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

  put(release: CatalogueRelease): void {
    this.releases.set(`${release.pluginId}@${release.version}`, release);
  }
}
