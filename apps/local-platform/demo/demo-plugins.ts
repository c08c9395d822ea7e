import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { z } from 'zod';
import type { Sbom } from '../../../shared/domain/dependency-scan.ts';
import type { PluginManifest } from '../../../shared/domain/manifest.ts';
import { buildPluginProject } from '../../../shared/plugin-build/build-plugin-project.ts';
import { formatProblems } from '../../../shared/plugin-build/check-plugin.ts';

/** The repository's `examples/`: real plugin projects (made with `init`), the demo marketplace's plugins. */
export const EXAMPLES_DIRECTORY = fileURLToPath(new URL('../../../examples/', import.meta.url));

/** The example folders the demo marketplace publishes, in publishing order. */
export const DEMO_PLUGIN_PROJECTS = ['patient-summary', 'appointment-reminder', 'no-show-tracker'] as const;

/** One demo release as `gradiant-plugins build` makes it: manifest, bundled module and SBOM. */
export interface DemoPluginBuild {
  readonly manifest: PluginManifest;
  readonly code: string;
  readonly sbom: Sbom;
}

const ToolSchema = z.object({ name: z.string().min(1), version: z.string().min(1) });

/** This repository's package, which the SBOMs name as their tool, as the CLI's `build` does. */
function repositoryPackage(): z.infer<typeof ToolSchema> {
  const file = fileURLToPath(new URL('../../../package.json', import.meta.url));
  return ToolSchema.parse(JSON.parse(readFileSync(file, 'utf8')));
}

/**
 * Builds each example with the CLI's own build code (esbuild bundle, the platform's loader and size
 * checks, CycloneDX SBOM from the metafile), in memory: a fresh clone starts without building
 * anything by hand, and what the marketplace lists is what an author's `build` would publish.
 * An example that does not build stops the start, naming each problem.
 */
export async function buildDemoPlugins(directory = EXAMPLES_DIRECTORY): Promise<DemoPluginBuild[]> {
  const tool = repositoryPackage();
  const builds: DemoPluginBuild[] = [];
  for (const project of DEMO_PLUGIN_PROJECTS) {
    const built = await buildPluginProject({ directory: join(directory, project), tool });
    if (!built.ok) throw new Error(`examples/${project} does not build:\n${formatProblems(built.problems)}`);
    builds.push({ manifest: built.manifest, code: built.code, sbom: built.sbom });
  }
  return builds;
}
