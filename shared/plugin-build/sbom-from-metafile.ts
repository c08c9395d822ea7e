import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Metafile } from 'esbuild';
import { z } from 'zod';
import { type Sbom, SbomSchema } from '../domain/dependency-scan.ts';

const CYCLONEDX_SPEC_VERSION = '1.6';
const PackageFileSchema = z.object({ name: z.string().min(1), version: z.string().min(1) });

export interface BundledPackage {
  readonly name: string;
  readonly version: string;
}

/** `node_modules/@scope/name/lib/x.js` → the package directory and its name, for the last `node_modules`. */
function packageDirectoryOf(input: string): string | undefined {
  const path = input.replaceAll('\\', '/');
  const marker = path.lastIndexOf('node_modules/');
  if (marker === -1) return undefined;
  const rest = path.slice(marker + 'node_modules/'.length).split('/');
  const segments = rest[0]?.startsWith('@') ? 2 : 1;
  if (rest.length <= segments) return undefined;
  return path.slice(0, marker) + ['node_modules', ...rest.slice(0, segments)].join('/');
}

/**
 * The npm packages whose code is in the bundle: the inputs esbuild put bytes of into the output
 * (tree-shaken modules add none), each mapped to the package.json of its package directory.
 */
export function bundledPackagesOf(metafile: Metafile, workingDirectory: string): BundledPackage[] {
  const directories = new Set<string>();
  for (const output of Object.values(metafile.outputs)) {
    for (const [input, { bytesInOutput }] of Object.entries(output.inputs)) {
      const directory = packageDirectoryOf(input);
      if (directory !== undefined && bytesInOutput > 0) directories.add(directory);
    }
  }
  const packages = new Map<string, BundledPackage>();
  for (const directory of directories) {
    const file = PackageFileSchema.parse(
      JSON.parse(readFileSync(join(workingDirectory, directory, 'package.json'), 'utf8')),
    );
    packages.set(`${file.name}@${file.version}`, { name: file.name, version: file.version });
  }
  return [...packages.values()].sort(
    (a, b) => a.name.localeCompare(b.name) || a.version.localeCompare(b.version),
  );
}

/** `pkg:npm/%40scope/name@1.2.3` (the purl spec encodes the scope's `@`). */
function purlOf({ name, version }: BundledPackage): string {
  const encoded = name.startsWith('@') ? `%40${name.slice(1)}` : name;
  return `pkg:npm/${encoded}@${encodeURIComponent(version)}`;
}

/**
 * A CycloneDX 1.6 JSON SBOM of what was bundled. No timestamp or serial number, so the same
 * inputs give the same bytes (the publish signature covers the SBOM's hash).
 */
export function cycloneDxSbom(
  plugin: { readonly id: string; readonly version: string },
  packages: readonly BundledPackage[],
  tool: BundledPackage,
): Sbom {
  const sbom = {
    bomFormat: 'CycloneDX' as const,
    specVersion: CYCLONEDX_SPEC_VERSION,
    version: 1,
    metadata: {
      tools: { components: [{ type: 'application', name: tool.name, version: tool.version }] },
      component: { type: 'application', name: plugin.id, version: plugin.version, 'bom-ref': plugin.id },
    },
    components: packages.map((bundled) => {
      const slash = bundled.name.indexOf('/');
      const scoped = bundled.name.startsWith('@') && slash > 0;
      return {
        type: 'library',
        ...(scoped
          ? { group: bundled.name.slice(0, slash), name: bundled.name.slice(slash + 1) }
          : { name: bundled.name }),
        version: bundled.version,
        purl: purlOf(bundled),
        'bom-ref': purlOf(bundled),
      };
    }),
  };
  // The platform's own reading of it: what build writes must be what publish can send.
  return SbomSchema.parse(sbom);
}
