import { findingsFor } from '../../domain/advisory-matching.ts';
import type { DetectedComponent, OsvRecord, ReleaseSecurity, Sbom } from '../../domain/dependency-scan.ts';
import { vulnerableDependencies } from '../../domain/errors/package-errors.ts';
import type { PluginMetadata } from '../../domain/manifest.ts';
import { componentsOfSbom } from '../../domain/sbom-components.ts';
import type { AdvisoryDatabase } from '../../ports/advisory-database.ts';
import type { BundleScanner } from '../../ports/bundle-scanner.ts';
import type { Clock } from '../../ports/clock.ts';

export interface DependencyScanDependencies {
  /** The port, not the shipped snapshot: the AWS wiring may hand in the refreshed copy. */
  readonly advisories: AdvisoryDatabase;
  readonly bundleScanner: BundleScanner;
  readonly clock: Clock;
}

export interface DependencyScan {
  readonly components: readonly DetectedComponent[];
  readonly security: ReleaseSecurity;
}

interface Located {
  readonly component: DetectedComponent;
  /** Where the request put it, so a refusal points there. */
  readonly field: string;
}

/**
 * What the release really bundles, and whether any advisory affects it: the signed SBOM, the
 * bundle's own text (so leaving a library out of the SBOM and the manifest does not hide it), and
 * the declared dependencies. Any finding refuses, naming every one; a clean scan is the release's
 * first security record, which rescans later replace.
 */
export async function scanDependencies(
  release: { readonly code: string; readonly metadata: PluginMetadata; readonly sbom?: Sbom | undefined },
  deps: DependencyScanDependencies,
): Promise<DependencyScan> {
  const located: Located[] = [
    ...(release.sbom ? componentsOfSbom(release.sbom) : []).map((component) => ({
      component,
      field: 'sbom',
    })),
    ...(await deps.bundleScanner.detect(release.code)).map((component) => ({ component, field: 'code' })),
    ...release.metadata.dependencies.map(({ name, version }, index) => ({
      component: { name, version, source: 'manifest' as const },
      field: `metadata.dependencies.${index}`,
    })),
  ];
  const unique = new Map<string, Located>();
  for (const entry of located) {
    const key = `${entry.component.name}@${entry.component.version}`;
    if (!unique.has(key)) unique.set(key, entry);
  }
  const components = [...unique.values()].map((entry) => entry.component);
  const [databaseVersion, advisories] = await Promise.all([
    deps.advisories.version(),
    advisoriesOf(components, deps.advisories),
  ]);
  const findings = findingsFor(components, (name) => advisories.get(name) ?? []);
  if (findings.length > 0) {
    throw vulnerableDependencies(
      findings.map((finding) => ({
        ...finding,
        field: unique.get(`${finding.package}@${finding.version}`)?.field ?? 'code',
      })),
    );
  }
  return {
    components,
    security: { status: 'clean', findings: [], scannedAt: deps.clock.now().toISOString(), databaseVersion },
  };
}

async function advisoriesOf(
  components: readonly DetectedComponent[],
  database: AdvisoryDatabase,
): Promise<ReadonlyMap<string, readonly OsvRecord[]>> {
  const names = [...new Set(components.map((component) => component.name))];
  const records = await Promise.all(names.map((name) => database.advisoriesFor(name)));
  return new Map(names.map((name, index) => [name, records[index] ?? []]));
}
