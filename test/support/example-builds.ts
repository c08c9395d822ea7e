import { lstatSync, mkdirSync, symlinkSync } from 'node:fs';
import { join, relative, resolve } from 'node:path';
import {
  buildDemoPlugins,
  type DemoPluginBuild,
  EXAMPLES_DIRECTORY,
} from '../../apps/local-platform/demo/demo-plugins.ts';

export const REPOSITORY_ROOT = resolve(import.meta.dirname, '../..');

let builds: Promise<DemoPluginBuild[]> | undefined;

/** The demo plugins as the local platform publishes them (built from `examples/`), once per test process. */
export function exampleBuilds(): Promise<DemoPluginBuild[]> {
  builds ??= buildDemoPlugins();
  return builds;
}

/** One example's build, by plugin id. */
export async function exampleBuild(id: string): Promise<DemoPluginBuild> {
  const build = (await exampleBuilds()).find((candidate) => candidate.manifest.id === id);
  if (!build) throw new Error(`no example builds the plugin ${id}`);
  return build;
}

/**
 * What `npm install` does for an example's `"gradiant-plugins": "file:../.."`: a symlink in its
 * node_modules to the repository (npm links `file:` folders). Made here so the examples' own tests
 * run on a fresh clone after only the root `npm ci`, offline; an existing install is left alone.
 */
export function linkRepositoryPackage(exampleDirectory: string): void {
  const link = join(exampleDirectory, 'node_modules', 'gradiant-plugins');
  if (isPresent(link)) return;
  mkdirSync(join(exampleDirectory, 'node_modules'), { recursive: true });
  symlinkSync(relative(join(exampleDirectory, 'node_modules'), REPOSITORY_ROOT), link, 'dir');
}

function isPresent(path: string): boolean {
  try {
    lstatSync(path);
    return true;
  } catch {
    return false;
  }
}

export const exampleDirectoryOf = (id: string): string => join(EXAMPLES_DIRECTORY, id);
