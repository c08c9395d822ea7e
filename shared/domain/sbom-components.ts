import type { DetectedComponent, Sbom } from './dependency-scan.ts';

const NPM_PURL = 'pkg:npm/';

/**
 * The npm packages a CycloneDX SBOM lists, named as npm names them (`@group/name` for scoped
 * packages). A component with a purl of another ecosystem is not npm's; one without a purl is
 * taken as npm, the only ecosystem a plugin bundle draws from.
 */
export function componentsOfSbom(sbom: Sbom): DetectedComponent[] {
  return sbom.components
    .filter((component) => component.purl === undefined || component.purl.startsWith(NPM_PURL))
    .map((component) => ({
      name: npmNameOf(component.group, component.name),
      version: component.version,
      source: 'sbom' as const,
    }));
}

function npmNameOf(group: string | undefined, name: string): string {
  if (!group) return name;
  return `${group.startsWith('@') ? group : `@${group}`}/${name}`;
}
