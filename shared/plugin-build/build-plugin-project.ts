import { resolve } from 'node:path';
import type { Sbom } from '../domain/dependency-scan.ts';
import type { PluginManifest } from '../domain/manifest.ts';
import { bundlePlugin } from './bundle-plugin.ts';
import { checkBundle, checkManifest, type Problem } from './check-plugin.ts';
import { readJsonFile } from './read-json-file.ts';
import { type BundledPackage, bundledPackagesOf, cycloneDxSbom } from './sbom-from-metafile.ts';

export interface PluginProjectBuildOptions {
  /** The plugin project's folder; `entry` and `manifestFile` are relative to it. */
  readonly directory: string;
  readonly entry?: string;
  readonly manifestFile?: string;
  readonly isMinified?: boolean;
  /** The tool named in the SBOM's metadata (this package's name and version). */
  readonly tool: BundledPackage;
}

export type PluginProjectBuild =
  | {
      readonly ok: true;
      readonly manifest: PluginManifest;
      readonly code: string;
      readonly sbom: Sbom;
      readonly packages: readonly BundledPackage[];
    }
  | { readonly ok: false; readonly problems: readonly Problem[] };

/**
 * A plugin project's release, in memory: the manifest checked with the platform's schema, the one
 * ES module esbuild bundles from the entry (checked with the platform's loader and size limit) and
 * the CycloneDX SBOM of the npm packages it bundled. `gradiant-plugins build` writes it to disk;
 * the local platform publishes its demo plugins from it, so both go through the same code.
 */
export async function buildPluginProject(options: PluginProjectBuildOptions): Promise<PluginProjectBuild> {
  const read = readJsonFile(resolve(options.directory, options.manifestFile ?? 'manifest.json'));
  if (!read.ok) return { ok: false, problems: [{ field: 'manifest', message: read.message }] };
  const manifest = checkManifest(read.value);
  if (!manifest.ok) return manifest;

  const bundle = await bundlePlugin({
    entry: options.entry ?? 'src/index.ts',
    workingDirectory: options.directory,
    isMinified: options.isMinified === true,
  });
  if (!bundle.ok)
    return { ok: false, problems: bundle.errors.map((message) => ({ field: 'entry', message })) };
  const problems = checkBundle(bundle.code);
  if (problems.length > 0) return { ok: false, problems };

  const packages = bundledPackagesOf(bundle.metafile, options.directory);
  const sbom = cycloneDxSbom(manifest.manifest, packages, options.tool);
  return { ok: true, manifest: manifest.manifest, code: bundle.code, sbom, packages };
}
