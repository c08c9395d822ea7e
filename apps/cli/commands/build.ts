import { mkdirSync, writeFileSync } from 'node:fs';
import { join, relative, resolve } from 'node:path';
import { MAX_ARTIFACT_BYTES } from '../../../shared/domain/artifact-limits.ts';
import { bundlePlugin } from '../build/bundle-plugin.ts';
import { checkBundle, checkManifest, formatProblems, type Problem } from '../build/check-plugin.ts';
import { bundledPackagesOf, cycloneDxSbom } from '../build/sbom-from-metafile.ts';
import { packageInfo } from '../package-info.ts';
import { defineCommand } from './define-command.ts';
import { type CommandIo, EXIT_FAILED, EXIT_OK } from './publish-cli-types.ts';
import { readJsonFile } from './read-json-file.ts';

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
    const manifestFile = resolve(cwd, String(options.manifest));
    const read = readJsonFile(manifestFile);
    if (!read.ok) return fail(io, isJson, [{ field: 'manifest', message: read.message }]);
    const manifest = checkManifest(read.value);
    if (!manifest.ok) return fail(io, isJson, manifest.problems);

    const bundle = await bundlePlugin({
      entry: String(options.entry),
      workingDirectory: cwd,
      isMinified: options.minify === true,
    });
    if (!bundle.ok)
      return fail(
        io,
        isJson,
        bundle.errors.map((message) => ({ field: 'entry', message })),
      );
    const problems = checkBundle(bundle.code);
    if (problems.length > 0) return fail(io, isJson, problems);

    const outdir = resolve(cwd, String(options.outdir));
    const packages = bundledPackagesOf(bundle.metafile, cwd);
    const sbom = cycloneDxSbom(manifest.manifest, packages, packageInfo());
    const bundleFile = join(outdir, BUNDLE_FILE);
    const sbomFile = join(outdir, sbomFileOf(manifest.manifest.id));
    mkdirSync(outdir, { recursive: true });
    writeFileSync(bundleFile, bundle.code);
    writeFileSync(sbomFile, `${JSON.stringify(sbom, null, 2)}\n`);

    const bytes = Buffer.byteLength(bundle.code, 'utf8');
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
