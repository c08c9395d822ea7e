import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { MAX_ARTIFACT_BYTES } from '../../../../../shared/domain/artifact-limits.ts';
import { SbomSchema } from '../../../../../shared/domain/dependency-scan.ts';
import { runCliIn } from '../../../../support/cli-run.ts';
import { npmPackage, pluginProject, VALID_MANIFEST } from '../../../../support/plugin-project.ts';
import { createTestSandbox } from '../../../../support/sandbox/sandbox-harness.ts';

const { sandbox, run } = createTestSandbox();
afterAll(() => sandbox.dispose());

const SOURCE = `import { greet } from 'tiny-greeting';
import { shout } from '@acme/shout';
import type { Plugin } from 'gradiant-plugins/plugin';

const plugin: Plugin<{ name: string }> = {
  async execute(input) {
    return { greeting: shout(greet(input.name)) };
  },
};
export default plugin;
`;

function project(source = SOURCE) {
  return pluginProject({
    'manifest.json': VALID_MANIFEST,
    'src/index.ts': source,
    ...npmPackage('tiny-greeting', '1.4.2', "export const greet = (name) => 'hello ' + name;"),
    ...npmPackage('@acme/shout', '0.3.0', 'export const shout = (text) => text.toUpperCase();'),
  });
}

describe('gradiant-plugins build', () => {
  it('bundles one minified ES module that the sandbox runs', async () => {
    const root = project();

    const result = await runCliIn(root, 'build', '--minify');

    expect(result).toMatchObject({ code: 0, stderr: '' });
    expect(result.stdout).toMatch(/^built dist\/index\.js: [\d.]+ KiB \(limit 1024\.0 KiB\)\n/);
    const code = readFileSync(join(root, 'dist', 'index.js'), 'utf8');
    expect(code).not.toMatch(/\bimport\b/);
    expect(await run(code, { input: { name: 'ada' } })).toMatchObject({
      ok: true,
      value: { greeting: 'HELLO ADA' },
    });
  });

  it('writes a CycloneDX SBOM of the bundled packages that the platform accepts', async () => {
    const root = project();

    await runCliIn(root, 'build');

    const sbom = JSON.parse(readFileSync(join(root, 'dist', 'greeter.cdx.json'), 'utf8'));
    expect(SbomSchema.safeParse(sbom).success).toBe(true);
    expect(sbom).toMatchObject({
      bomFormat: 'CycloneDX',
      specVersion: '1.6',
      metadata: { component: { name: 'greeter', version: '1.2.0' } },
    });
    expect(sbom.components).toEqual([
      {
        type: 'library',
        group: '@acme',
        name: 'shout',
        version: '0.3.0',
        purl: 'pkg:npm/%40acme/shout@0.3.0',
        'bom-ref': 'pkg:npm/%40acme/shout@0.3.0',
      },
      {
        type: 'library',
        name: 'tiny-greeting',
        version: '1.4.2',
        purl: 'pkg:npm/tiny-greeting@1.4.2',
        'bom-ref': 'pkg:npm/tiny-greeting@1.4.2',
      },
    ]);
  });

  it('prints the sizes and packages as JSON with --json', async () => {
    const result = await runCliIn(project(), 'build', '--json');

    expect(JSON.parse(result.stdout)).toMatchObject({
      ok: true,
      bundle: 'dist/index.js',
      sbom: 'dist/greeter.cdx.json',
      limitBytes: MAX_ARTIFACT_BYTES,
      packages: [
        { name: '@acme/shout', version: '0.3.0' },
        { name: 'tiny-greeting', version: '1.4.2' },
      ],
    });
  });

  it('fails over the platform artifact size limit and writes nothing', async () => {
    const big = `export default { execute() { return ${JSON.stringify('x'.repeat(MAX_ARTIFACT_BYTES))}.length; } };`;
    const root = project(big);

    const result = await runCliIn(root, 'build');

    expect(result.code).toBe(1);
    expect(result.stderr).toMatch(/^bundle: is \d+ bytes, over the platform's limit of 1048576 bytes/);
    expect(existsSync(join(root, 'dist'))).toBe(false);
  });

  it('refuses a Node built-in: the platform has none', async () => {
    const root = project(
      `import { readFileSync } from 'node:fs';\nexport default { execute: () => readFileSync };\n`,
    );

    const result = await runCliIn(root, 'build');

    expect(result.code).toBe(1);
    expect(result.stderr).toMatch(/^entry: src\/index\.ts:1:\d+: Could not resolve "node:fs"/);
  });

  it('refuses a module without a default export, as the platform loader does', async () => {
    const result = await runCliIn(project('export const execute = () => 1;\n'), 'build');

    expect(result.code).toBe(1);
    expect(result.stderr).toContain('bundle: is not a plugin module:');
  });

  it('lists every manifest problem before bundling anything', async () => {
    const root = pluginProject({
      'manifest.json': { id: 'Bad Id', version: '1', metadata: { name: 'x' } },
      'src/index.ts': 'export default {};',
    });

    const result = await runCliIn(root, 'build');

    expect(result.code).toBe(1);
    expect(result.stderr).toContain('manifest.id: ');
    expect(result.stderr).toContain('manifest.version: ');
    expect(result.stderr).toContain('manifest.metadata.description: ');
  });
});
