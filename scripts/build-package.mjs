// Builds what the package exports, so `gradiant-plugins/*` and the `gradiant-plugins` bin work in
// plain Node 24 right after `npm ci` (this runs as the `prepare` script, and so in `npm pack`):
//   dist/sandbox/        gradiant-plugins/sandbox: the library (ESM), its worker, declarations
//   dist/plugin/         gradiant-plugins/plugin: plugin-facing types and constants, manifest.schema.json
//   dist/testing/        gradiant-plugins/testing: the fixture host for plugin projects' tests
//   dist/bin/            the CLI: a Node-version gate, the CLI and its chunks, the sandbox worker,
//                        the `init` template
//   dist/types/          declarations of plugin/ and testing/
//   dist/client/         gradiant-plugins/client: the integrators' SDK, with its declarations (build-client.mjs)
// Dependencies stay external (resolved from node_modules at run time); isolated-vm in particular
// is a native module that must never be bundled, and the code loads it with createRequire.
// A new export is one more entry in ENTRIES (and in package.json `exports`).
import { spawnSync } from 'node:child_process';
import { chmodSync, cpSync, existsSync, mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const log = (message) => process.stderr.write(`[build-package] ${message}\n`);

// An installed copy (a plugin project links it as a `file:` devDependency, so npm runs this
// `prepare` there too) ships dist/ already and has no sources to build from.
if (!existsSync(join(root, 'apps', 'cli', 'main.ts'))) {
  log('no sources here (an installed package ships dist/); nothing to build');
  process.exit(0);
}

let esbuild;
try {
  esbuild = await import('esbuild');
} catch {
  // Installed as a dependency without devDependencies: whoever published it shipped dist/.
  log('esbuild is not installed; skipping the build');
  process.exit(0);
}

const common = {
  bundle: true,
  platform: 'node',
  format: 'esm',
  target: 'node24',
  packages: 'external',
  sourcemap: false,
  legalComments: 'none',
  logLevel: 'warning',
  absWorkingDir: root,
};

/** Each output directory with its esbuild options; built in order. */
const ENTRIES = [
  {
    outdir: 'dist/sandbox',
    entryPoints: {
      index: 'shared/sandbox/index.ts',
      'sandbox-worker': 'shared/sandbox/supervised/worker.ts',
    },
  },
  { outdir: 'dist/plugin', entryPoints: { index: 'shared/plugin/index.ts' }, platform: 'neutral' },
  { outdir: 'dist/testing', entryPoints: { index: 'apps/cli/testing.ts' } },
  // The CLI runs plugins through SupervisedSandbox, which forks the worker beside its own bundle.
  // Splitting keeps what `audit verify` loads on demand (the AWS SDK adapters) in its own chunks.
  {
    outdir: 'dist/bin',
    entryPoints: { cli: 'apps/cli/start.ts', 'sandbox-worker': 'shared/sandbox/supervised/worker.ts' },
    splitting: true,
    chunkNames: 'chunks/[name]-[hash]',
  },
  // The bin's first module must parse on old Node versions to say which one it needs.
  {
    outdir: 'dist/bin',
    entryPoints: { 'gradiant-plugins': 'apps/cli/main.ts' },
    target: 'node18',
    banner: { js: '#!/usr/bin/env node' },
  },
];

rmSync(join(root, 'dist'), { recursive: true, force: true });
for (const { outdir, ...options } of ENTRIES) {
  await esbuild.build({ ...common, ...options, outdir });
}
chmodSync(join(root, 'dist', 'bin', 'gradiant-plugins.js'), 0o755);
cpSync(join(root, 'apps', 'cli', 'init', 'template'), join(root, 'dist', 'bin', 'init-template'), {
  recursive: true,
});

// gradiant-plugins/client: its own script, so that its test builds it the same way.
const { buildClient } = await import('./build-client.mjs');
const clientProblem = await buildClient(esbuild, { root });
if (clientProblem) {
  log(clientProblem);
  process.exit(1);
}

// The manifest JSON Schema, generated from the zod schema the platform validates with.
const { manifestJsonSchema } = await import('../shared/domain/manifest-json-schema.ts');
mkdirSync(join(root, 'dist', 'plugin'), { recursive: true });
writeFileSync(
  join(root, 'dist', 'plugin', 'manifest.schema.json'),
  `${JSON.stringify(manifestJsonSchema(), null, 2)}\n`,
);

// Declarations only; tsc 7 is native and takes about a second per project.
const tsc = join(root, 'node_modules', '.bin', process.platform === 'win32' ? 'tsc.cmd' : 'tsc');
for (const [project, expected] of [
  ['tsconfig.build.json', 'dist/sandbox/index.d.ts'],
  ['tsconfig.types.json', 'dist/types/shared/plugin/index.d.ts'],
]) {
  const declarations = spawnSync(tsc, ['-p', project], { cwd: root, stdio: 'inherit' });
  if (declarations.status !== 0 || !existsSync(join(root, expected))) {
    log(`type declarations of ${project} failed; see the tsc output above`);
    process.exit(1);
  }
}
log('built dist/sandbox, dist/plugin, dist/testing, dist/client, dist/bin and dist/types');
