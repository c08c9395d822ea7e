import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { FixturesSchema } from '../../../../../apps/cli/fixture-host.ts';
import { PluginManifestSchema } from '../../../../../shared/domain/manifest.ts';
import { runCliIn } from '../../../../support/cli-run.ts';

const folder = () => mkdtempSync(join(tmpdir(), 'gradiant-init-'));

describe('gradiant-plugins init', () => {
  it('scaffolds a plugin project with a valid manifest, fixtures and scripts', async () => {
    const cwd = folder();

    const result = await runCliIn(cwd, 'init', 'visit-counter');

    const project = join(cwd, 'visit-counter');
    expect(result.code).toBe(0);
    for (const file of [
      '.gitignore',
      'README.md',
      'fixtures.json',
      'manifest.json',
      'package.json',
      'src/index.ts',
      'test/plugin.test.mjs',
      'tsconfig.json',
    ]) {
      expect(existsSync(join(project, file)), file).toBe(true);
    }
    const manifest = JSON.parse(readFileSync(join(project, 'manifest.json'), 'utf8'));
    expect(manifest.$schema).toBe('./node_modules/gradiant-plugins/dist/plugin/manifest.schema.json');
    expect(PluginManifestSchema.parse(manifest)).toMatchObject({ id: 'visit-counter', version: '0.1.0' });
    expect(
      FixturesSchema.safeParse(JSON.parse(readFileSync(join(project, 'fixtures.json'), 'utf8'))).success,
    ).toBe(true);
    const pkg = JSON.parse(readFileSync(join(project, 'package.json'), 'utf8'));
    expect(pkg.scripts).toMatchObject({
      build: 'gradiant-plugins build',
      test: 'gradiant-plugins build && node --test',
    });
    expect(pkg.devDependencies['gradiant-plugins']).toMatch(/^file:/);
    expect(readFileSync(join(project, 'test', 'plugin.test.mjs'), 'utf8')).toContain(
      "pluginId: 'visit-counter'",
    );
  });

  it('keeps keys and build output out of git', async () => {
    const cwd = folder();

    await runCliIn(cwd, 'init', 'kept-out');

    const ignored = readFileSync(join(cwd, 'kept-out', '.gitignore'), 'utf8').split('\n');
    expect(ignored).toEqual(
      expect.arrayContaining(['keys/', '*.pem', 'dist/', '*.cdx.json', 'node_modules/']),
    );
  });

  it('refuses a folder that is not empty', async () => {
    const cwd = folder();
    mkdirSync(join(cwd, 'taken'));
    writeFileSync(join(cwd, 'taken', 'notes.txt'), 'mine');

    const result = await runCliIn(cwd, 'init', 'taken');

    expect(result.code).toBe(1);
    expect(result.stderr).toMatch(/taken exists and is not empty/);
    expect(readFileSync(join(cwd, 'taken', 'notes.txt'), 'utf8')).toBe('mine');
  });

  it('exits 2 for a name that is not a plugin id', async () => {
    const result = await runCliIn(folder(), 'init', 'Not_An_Id');

    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(/Not_An_Id is not a plugin id/);
  });

  it('writes a source that type-checks against the plugin types', async () => {
    const cwd = folder();
    await runCliIn(cwd, 'init', 'typed-plugin');
    const project = join(cwd, 'typed-plugin');
    // The repository's own sources stand in for the published declarations (the e2e package test
    // checks against those), so this runs without building dist/.
    writeFileSync(
      join(project, 'tsconfig.check.json'),
      JSON.stringify({
        extends: './tsconfig.json',
        compilerOptions: {
          allowImportingTsExtensions: true,
          paths: {
            'gradiant-plugins/plugin': [join(import.meta.dirname, '../../../../../shared/plugin/index.ts')],
          },
          // The platform's implementation files come along (not only declarations); they need Node's types.
          typeRoots: [join(import.meta.dirname, '../../../../../node_modules/@types')],
          types: ['node'],
        },
      }),
    );

    const tsc = join(import.meta.dirname, '../../../../../node_modules/.bin/tsc');
    const checked = spawnSync(tsc, ['-p', 'tsconfig.check.json'], { cwd: project, encoding: 'utf8' });

    expect(checked.status, checked.stdout).toBe(0);
  });
});
