import type { DetectedComponent } from '../../domain/dependency-scan.ts';
import type { ReleaseRecord } from '../../domain/marketplace.ts';

/**
 * What a rescan matches a release against: the components its publish scan stored. A release
 * published before the scan stored any is matched on the dependencies its signed manifest
 * declares (exact versions), the publisher's own bill of materials.
 */
export function releaseComponents(release: ReleaseRecord): readonly DetectedComponent[] {
  if (release.components) return release.components;
  return release.metadata.dependencies.map((dependency) => ({
    name: dependency.name,
    version: dependency.version,
    source: 'sbom' as const,
  }));
}
