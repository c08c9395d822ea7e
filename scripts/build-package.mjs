// Builds what the package exports, so `gradiant-plugins/sandbox` and the `gradiant-plugins` bin
// work in plain Node 24 right after `npm ci` (this runs as the `prepare` script):
//   dist/sandbox/index.js           the library (ESM), with dist/sandbox/index.d.ts beside it
//   dist/sandbox/sandbox-worker.js  the SupervisedSandbox worker, resolved beside the library
//   dist/bin/gradiant-plugins.js    the CLI, with its own copy of the worker beside it
//   dist/client/index.js            gradiant-plugins/client, the integrators' SDK (build-client.mjs)
// Dependencies stay external (resolved from node_modules at run time); isolated-vm in particular
// is a native module that must never be bundled, and the code loads it with createRequire.
import { spawnSync } from 'node:child_process';
import { chmodSync, existsSync, rmSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { buildClient } from './build-client.mjs';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const log = (message) => process.stderr.write(`[build-package] ${message}\n`);

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

rmSync(join(root, 'dist', 'sandbox'), { recursive: true, force: true });
rmSync(join(root, 'dist', 'bin'), { recursive: true, force: true });

await esbuild.build({
  ...common,
  entryPoints: { index: 'shared/sandbox/index.ts', 'sandbox-worker': 'shared/sandbox/supervised/worker.ts' },
  outdir: 'dist/sandbox',
});

// The CLI runs plugins through SupervisedSandbox, which forks the worker beside its own bundle.
await esbuild.build({
  ...common,
  entryPoints: { 'gradiant-plugins': 'apps/cli/main.ts' },
  outdir: 'dist/bin',
  banner: { js: '#!/usr/bin/env node' },
});
await esbuild.build({
  ...common,
  entryPoints: { 'sandbox-worker': 'shared/sandbox/supervised/worker.ts' },
  outdir: 'dist/bin',
});
const cli = join(root, 'dist', 'bin', 'gradiant-plugins.js');
chmodSync(cli, 0o755);

// gradiant-plugins/client: its own script, so that its test builds it the same way.
const clientProblem = await buildClient(esbuild, { root });
if (clientProblem) {
  log(clientProblem);
  process.exit(1);
}

// Declarations only, from the library's entry point; tsc 7 is native and takes about a second.
const tsc = join(root, 'node_modules', '.bin', process.platform === 'win32' ? 'tsc.cmd' : 'tsc');
const declarations = spawnSync(tsc, ['-p', 'tsconfig.build.json'], { cwd: root, stdio: 'inherit' });
if (declarations.status !== 0 || !existsSync(join(root, 'dist', 'sandbox', 'index.d.ts'))) {
  log('type declarations failed; see the tsc output above');
  process.exit(1);
}
log('built dist/sandbox (library, worker, declarations), dist/client and dist/bin/gradiant-plugins.js');
