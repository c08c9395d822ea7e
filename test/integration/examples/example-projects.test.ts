import { spawnSync } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { DEMO_PLUGIN_PROJECTS } from '../../../apps/local-platform/demo/demo-plugins.ts';
import { PluginManifestSchema } from '../../../shared/domain/manifest.ts';
import { runCliIn } from '../../support/cli-run.ts';
import { exampleDirectoryOf, linkRepositoryPackage, REPOSITORY_ROOT } from '../../support/example-builds.ts';

const TSC = join(REPOSITORY_ROOT, 'node_modules', '.bin', 'tsc');

/**
 * Each example's own `npm test` (`gradiant-plugins build && node --test`), run by the repository's
 * test command: the build through the CLI, the tests with Node's runner against the package the
 * example links (`file:../..`), so the examples stay real projects that pass.
 */
describe.each(DEMO_PLUGIN_PROJECTS)('examples/%s', (project) => {
  const directory = exampleDirectoryOf(project);

  it('has the manifest and package of a project made with init', () => {
    const manifest = PluginManifestSchema.parse(
      JSON.parse(readFileSync(join(directory, 'manifest.json'), 'utf8')),
    );
    const pkg = JSON.parse(readFileSync(join(directory, 'package.json'), 'utf8'));

    expect(manifest.id).toBe(project);
    expect(pkg).toMatchObject({
      name: project,
      version: manifest.version,
      scripts: { build: 'gradiant-plugins build', test: 'gradiant-plugins build && node --test' },
      devDependencies: { 'gradiant-plugins': 'file:../..' },
    });
  });

  it('builds, validates and passes its own tests in the sandbox', async () => {
    linkRepositoryPackage(directory);

    const built = await runCliIn(directory, 'build', '--minify');
    const validated = await runCliIn(directory, 'validate', '--json');
    const tested = spawnSync(process.execPath, ['--test'], {
      cwd: directory,
      encoding: 'utf8',
      env: { ...process.env, NODE_OPTIONS: '' },
    });

    expect(built, built.stderr).toMatchObject({ code: 0, stderr: '' });
    expect(JSON.parse(validated.stdout)).toEqual({ ok: true, problems: [] });
    expect(tested.status, `${tested.stdout}\n${tested.stderr}`).toBe(0);
    expect(tested.stdout).toMatch(/^ℹ fail 0$/m);
    expect(Number(/^ℹ pass (\d+)$/m.exec(tested.stdout)?.[1])).toBeGreaterThan(0);
  });

  it('type-checks its source against the plugin types', () => {
    // The repository's own sources stand in for the linked package's declarations (as init's test does).
    const config = join(directory, 'node_modules', '.tsconfig.check.json');
    linkRepositoryPackage(directory);
    writeFileSync(
      config,
      JSON.stringify({
        extends: '../tsconfig.json',
        compilerOptions: {
          allowImportingTsExtensions: true,
          paths: { 'gradiant-plugins/plugin': [join(REPOSITORY_ROOT, 'shared/plugin/index.ts')] },
          typeRoots: [join(REPOSITORY_ROOT, 'node_modules/@types')],
          types: ['node'],
        },
        include: ['../src'],
      }),
    );

    const checked = spawnSync(TSC, ['-p', config], { cwd: directory, encoding: 'utf8' });

    expect(checked.status, checked.stdout).toBe(0);
  });
});
