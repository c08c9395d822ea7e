import { mkdirSync, writeFileSync } from 'node:fs';
import { join, relative, resolve } from 'node:path';
import { MAX_ARTIFACT_BYTES } from '../../../shared/domain/artifact-limits.ts';
import { buildPluginProject } from '../../../shared/plugin-build/build-plugin-project.ts';
import { formatProblems, type Problem } from '../../../shared/plugin-build/check-plugin.ts';
import { packageInfo } from '../package-info.ts';
import { defineCommand } from './define-command.ts';
import { type CommandIo, EXIT_FAILED, EXIT_OK } from './publish-cli-types.ts';

export const BUNDLE_FILE = 'index.js';
export const sbomFileOf = (pluginId: string): string => `${pluginId}.cdx.json`;

function fail(io: CommandIo, isJson: boolean, problems: readonly Problem[]): number {
  io[isJson ? 'stdout' : 'stderr'](
    isJson ? `${JSON.stringify({ ok: false, problems })}\n` : formatProblems(problems),
  );
  return EXIT_FAILED;
}

const kib = (bytes: number): string => `${(bytes / 1024).toFixed(1)} KiB`;

/**
 * Bundles the plugin into the one ES module the platform runs, checks it with the platform's own
 * loader and size limit, and writes the CycloneDX SBOM of the npm packages it bundled.
 */
export const buildCommand = defineCommand({
  name: 'build',
  summary: 'bundle the plugin into one ES module (esbuild) and write its CycloneDX SBOM',
  configure: (command) =>
    command
      .option('--entry <file>', 'the plugin source', 'src/index.ts')
      .option('--outdir <dir>', 'where to write the bundle and the SBOM', 'dist')
      .option('--manifest <file>', 'the manifest (id and version name the SBOM)', 'manifest.json')
      .option('--minify', 'minify the bundle')
      .option('--json', 'print the result as JSON'),
  async action({ options }, io) {
    const cwd = io.cwd ?? process.cwd();
    const isJson = options.json === true;
    const built = await buildPluginProject({
      directory: cwd,
      entry: String(options.entry),
      manifestFile: String(options.manifest),
      isMinified: options.minify === true,
      tool: packageInfo(),
    });
    if (!built.ok) return fail(io, isJson, built.problems);

    const { code, manifest, packages, sbom } = built;
    const outdir = resolve(cwd, String(options.outdir));
    const bundleFile = join(outdir, BUNDLE_FILE);
    const sbomFile = join(outdir, sbomFileOf(manifest.id));
    mkdirSync(outdir, { recursive: true });
    writeFileSync(bundleFile, code);
    writeFileSync(sbomFile, `${JSON.stringify(sbom, null, 2)}\n`);

    const bytes = Buffer.byteLength(code, 'utf8');
    const shown = { bundle: relative(cwd, bundleFile), sbom: relative(cwd, sbomFile) };
    if (isJson) {
      io.stdout(
        `${JSON.stringify({ ok: true, ...shown, bytes, limitBytes: MAX_ARTIFACT_BYTES, packages })}\n`,
      );
    } else {
      io.stdout(
        `built ${shown.bundle}: ${kib(bytes)} (limit ${kib(MAX_ARTIFACT_BYTES)})\n` +
          `SBOM ${shown.sbom}: ${packages.length} bundled npm package${packages.length === 1 ? '' : 's'}\n`,
      );
    }
    return EXIT_OK;
  },
});
