import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { runCommand } from '../../../../../apps/cli/commands/run.ts';
import {
  buildDemoPlugins,
  DEMO_PLUGIN_PROJECTS,
  EXAMPLES_DIRECTORY,
} from '../../../../../apps/local-platform/demo/demo-plugins.ts';
import { SbomSchema } from '../../../../../shared/domain/dependency-scan.ts';
import { pluginProject } from '../../../../support/plugin-project.ts';

/** The demo catalogue ships the builds of `examples/`: each runs in the sandbox with the permissions it requests. */
describe('demo plugins', () => {
  const directory = mkdtempSync(join(tmpdir(), 'demo-plugins-'));
  const fixtures = join(directory, 'fixtures.json');
  writeFileSync(
    fixtures,
    JSON.stringify({
      tenants: {
        't-demo': {
          patients: [
            { id: 'p-001', name: 'Testy McTestface (synthetic)', birthDate: '1970-01-01', gender: 'other' },
          ],
        },
      },
    }),
  );
  const inputs: Record<string, unknown> = {
    'patient-summary': {},
    'appointment-reminder': { patientId: 'p-001', start: '2030-01-01T09:00:00Z' },
    'no-show-tracker': {},
  };

  it('builds each example folder with its manifest and an SBOM naming the release', async () => {
    const builds = await buildDemoPlugins();

    expect(builds.map((build) => `${build.manifest.id}@${build.manifest.version}`)).toEqual([
      'patient-summary@1.0.0',
      'appointment-reminder@1.2.0',
      'no-show-tracker@0.9.0',
    ]);
    for (const [index, build] of builds.entries()) {
      const project = DEMO_PLUGIN_PROJECTS[index] as string;
      const manifest = JSON.parse(readFileSync(join(EXAMPLES_DIRECTORY, project, 'manifest.json'), 'utf8'));
      expect(build.manifest.id).toBe(project);
      expect(build.manifest.metadata).toMatchObject(manifest.metadata);
      expect(build.sbom).toMatchObject({
        metadata: {
          component: {
            name: build.manifest.id,
            version: build.manifest.version,
          },
        },
      });
      expect(SbomSchema.safeParse(build.sbom).success).toBe(true);
      expect(build.code).not.toMatch(/\bimport\b/);
    }
  });

  it('stops with every problem named when an example does not build', async () => {
    const broken = pluginProject({
      'patient-summary/manifest.json': { id: 'patient-summary', version: 'one', metadata: {} },
      'patient-summary/src/index.ts': 'export default {};',
    });

    await expect(buildDemoPlugins(broken)).rejects.toThrow(
      /examples\/patient-summary does not build:\nmanifest\.version: .+\nmanifest\.metadata\.name/,
    );
  });

  for (const project of DEMO_PLUGIN_PROJECTS) {
    it(`runs the ${project} build successfully in the sandbox`, async () => {
      const build = (await buildDemoPlugins()).find((candidate) => candidate.manifest.id === project);
      const file = join(directory, `${project}.js`);
      writeFileSync(file, build?.code ?? '');
      const out: string[] = [];
      const err: string[] = [];
      const grants = (build?.manifest.metadata.permissions ?? []).flatMap((permission) => [
        '--grant',
        permission,
      ]);

      const code = await runCommand.run(
        [file, '--json', '--fixtures', fixtures, '--input', JSON.stringify(inputs[project]), ...grants],
        {
          stdout: (text) => out.push(text),
          stderr: (text) => err.push(text),
          env: {},
          fetch,
        },
      );

      expect(err.join(''), out.join('')).toBe('');
      expect(code, out.join('')).toBe(0);
      expect(JSON.parse(out.join('')).ok).toBe(true);
    });
  }
});
