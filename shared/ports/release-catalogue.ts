import type { ReleaseSecurity } from '../domain/dependency-scan.ts';
import type { PluginMetadata } from '../domain/manifest.ts';

export type ReleaseStatus = 'active' | 'yanked' | 'revoked';

/** One published version as the lifecycle needs it to install, update and run from the marketplace. */
export interface CatalogueRelease {
  readonly pluginId: string;
  readonly version: string;
  readonly sha256: string;
  readonly publisherId: string;
  readonly metadata: PluginMetadata;
  readonly status: ReleaseStatus;
  readonly publishedAt: string;
  readonly revokedReason?: string | undefined;
  /** The latest advisory scan: installs are refused by the tenant's `blockInstallsAtOrAbove`. */
  readonly security?: ReleaseSecurity | undefined;
}

/** A publisher as tenant policy needs it (`installFrom: verified-publishers-only`). */
export interface CataloguePublisher {
  readonly publisherId: string;
  readonly isVerified: boolean;
}

/** The marketplace's catalogue, read side: implemented over the marketplace table. */
export interface ReleaseCatalogue {
  getRelease(pluginId: string, version: string): Promise<CatalogueRelease | undefined>;
  /** Newest first, by semver precedence. */
  listReleases(pluginId: string): Promise<CatalogueRelease[]>;
  /** The publisher's profile as stored now (a strongly consistent read), not an entry's copy. */
  getPublisher(publisherId: string): Promise<CataloguePublisher | undefined>;
}
