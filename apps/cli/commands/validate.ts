import { existsSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import {
  checkBundle,
  checkManifest,
  checkSbom,
  formatProblems,
  type Problem,
} from '../../../shared/plugin-build/check-plugin.ts';
import { readJsonFile } from '../../../shared/plugin-build/read-json-file.ts';
import { BUNDLE_FILE, sbomFileOf } from './build.ts';
import { defineCommand } from './define-command.ts';
import { EXIT_FAILED, EXIT_OK } from './publish-cli-types.ts';

/** The SBOM's own subject must be the plugin the manifest names, or the claim would vouch for another. */
function sbomSubjectProblems(sbom: unknown, manifest: { id: string; version: string }): Problem[] {
  const component = (sbom as { metadata?: { component?: { name?: unknown; version?: unknown } } }).metadata
    ?.component;
  if (component === undefined) return [];
  const problems: Problem[] = [];
  if (component.name !== manifest.id) {
    problems.push({
      field: 'sbom.metadata.component.name',
      message: `is not the manifest id ${manifest.id}`,
    });
  }
  if (component.version !== manifest.version) {
    problems.push({
      field: 'sbom.metadata.component.version',
      message: `is not the manifest version ${manifest.version}`,
    });
  }
  return problems;
}

/**
 * Checks manifest, bundle and SBOM offline with the platform's own schemas and loader and lists
 * every problem at once, each named by its field, so one run shows all there is to fix.
 */
export const validateCommand = defineCommand({
  name: 'validate',
  summary: 'check the manifest, bundle and SBOM offline and list every problem with its field',
  configure: (command) =>
    command
      .option('--manifest <file>', 'the manifest', 'manifest.json')
      .option('--bundle <file>', `the bundle (default dist/${BUNDLE_FILE})`)
      .option('--sbom <file>', 'the CycloneDX SBOM (default dist/<id>.cdx.json, when it exists)')
      .option('--json', 'print { ok, problems } as JSON'),
  async action({ options }, io) {
    const cwd = io.cwd ?? process.cwd();
    const problems: Problem[] = [];

    const manifestRead = readJsonFile(resolve(cwd, String(options.manifest)));
    let manifest: { id: string; version: string } | undefined;
    if (!manifestRead.ok) problems.push({ field: 'manifest', message: manifestRead.message });
    else {
      const checked = checkManifest(manifestRead.value);
      if (checked.ok) manifest = checked.manifest;
      else problems.push(...checked.problems);
    }

    const bundleFile = resolve(
      cwd,
      typeof options.bundle === 'string' ? options.bundle : join('dist', BUNDLE_FILE),
    );
    if (!existsSync(bundleFile)) problems.push({ field: 'bundle', message: `cannot read ${bundleFile}` });
    else problems.push(...checkBundle(readFileSync(bundleFile, 'utf8')));

    const sbomFile =
      typeof options.sbom === 'string'
        ? resolve(cwd, options.sbom)
        : manifest && existsSync(resolve(cwd, 'dist', sbomFileOf(manifest.id)))
          ? resolve(cwd, 'dist', sbomFileOf(manifest.id))
          : undefined;
    if (sbomFile !== undefined) {
      const sbomRead = readJsonFile(sbomFile);
      if (!sbomRead.ok) problems.push({ field: 'sbom', message: sbomRead.message });
      else {
        problems.push(...checkSbom(sbomRead.value));
        if (manifest) problems.push(...sbomSubjectProblems(sbomRead.value, manifest));
      }
    }

    if (options.json === true) io.stdout(`${JSON.stringify({ ok: problems.length === 0, problems })}\n`);
    else if (problems.length > 0) io.stderr(formatProblems(problems));
    else io.stdout(`ok: manifest, bundle${sbomFile === undefined ? '' : ' and SBOM'} are valid\n`);
    return problems.length === 0 ? EXIT_OK : EXIT_FAILED;
  },
});
