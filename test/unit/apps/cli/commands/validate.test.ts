import { describe, expect, it } from 'vitest';
import { runCliIn } from '../../../../support/cli-run.ts';
import { pluginProject, VALID_MANIFEST } from '../../../../support/plugin-project.ts';

const BUNDLE = 'export default { execute: () => 1 };\n';
const SBOM = {
  bomFormat: 'CycloneDX',
  specVersion: '1.6',
  metadata: { component: { type: 'application', name: 'greeter', version: '1.2.0' } },
  components: [{ type: 'library', name: 'tiny-greeting', version: '1.4.2' }],
};

describe('gradiant-plugins validate', () => {
  it('passes a valid manifest, bundle and the SBOM beside it', async () => {
    const root = pluginProject({
      'manifest.json': VALID_MANIFEST,
      'dist/index.js': BUNDLE,
      'dist/greeter.cdx.json': SBOM,
    });

    const result = await runCliIn(root, 'validate');

    expect(result).toEqual({ code: 0, stdout: 'ok: manifest, bundle and SBOM are valid\n', stderr: '' });
  });

  it('lists every problem of manifest, bundle and SBOM at once, each with its field', async () => {
    const root = pluginProject({
      'manifest.json': {
        ...VALID_MANIFEST,
        metadata: {
          ...VALID_MANIFEST.metadata,
          permissions: ['read:patients', 'network:api.example.com', 'root'],
          limits: { memoryMb: 2 },
        },
      },
      'dist/index.js': "import x from 'y';\nexport default x;\n",
      'bom.json': { ...SBOM, components: [{ type: 'library', name: 'tiny-greeting' }] },
    });

    const result = await runCliIn(root, 'validate', '--sbom', 'bom.json', '--json');

    const { ok, problems } = JSON.parse(result.stdout) as { ok: boolean; problems: { field: string }[] };
    expect(result.code).toBe(1);
    expect(ok).toBe(false);
    expect(problems.map((problem) => problem.field)).toEqual([
      'manifest.metadata.permissions[2]',
      'manifest.metadata.limits.memoryMb',
      'bundle',
      'sbom.components[0].version',
    ]);
  });

  it('names the cross-field rule the JSON Schema cannot express', async () => {
    const root = pluginProject({
      'manifest.json': {
        ...VALID_MANIFEST,
        metadata: { ...VALID_MANIFEST.metadata, permissions: ['network:api.example.com'] },
      },
      'dist/index.js': BUNDLE,
    });

    const result = await runCliIn(root, 'validate');

    expect(result.code).toBe(1);
    expect(result.stderr).toBe(
      'manifest.metadata.permissions[0]: a network permission needs its host in networkHosts\n',
    );
  });

  it('reports missing files and an SBOM about another plugin', async () => {
    const root = pluginProject({
      'manifest.json': VALID_MANIFEST,
      'bom.json': { ...SBOM, metadata: { component: { name: 'other', version: '1.2.0' } } },
    });

    const result = await runCliIn(root, 'validate', '--sbom', 'bom.json', '--json');

    expect(JSON.parse(result.stdout).problems).toEqual([
      { field: 'bundle', message: expect.stringMatching(/^cannot read .*dist\/index\.js$/) },
      { field: 'sbom.metadata.component.name', message: 'is not the manifest id greeter' },
    ]);
  });
});
