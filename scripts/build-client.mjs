// Builds `gradiant-plugins/client`, the integrators' SDK: one ES module for Node 24 and browsers,
// with its declarations. zod stays external (a dependency of the package); what the route records
// reach beyond it (semver, used by the version schemas) is bundled in. Shared domain modules
// import node:crypto for functions the SDK never calls: node built-ins are marked side-effect free
// so those imports drop out, and the build fails if any import but zod remains.
//   <outdir>/index.js                  the SDK
//   <outdir>/types/client/index.d.ts   its declarations (tsconfig.client.json)
import { spawnSync } from 'node:child_process';
import { rmSync } from 'node:fs';
import { join } from 'node:path';

const clientExternals = {
  name: 'client-externals',
  setup(build) {
    build.onResolve({ filter: /^node:/ }, (args) => ({
      path: args.path,
      external: true,
      sideEffects: false,
    }));
    build.onResolve({ filter: /^zod(\/.*)?$/ }, (args) => ({ path: args.path, external: true }));
  },
};

/** Answers the problem, or undefined when the SDK and its declarations are in `outdir`. */
export async function buildClient(esbuild, { root, outdir = join(root, 'dist', 'client') }) {
  rmSync(outdir, { recursive: true, force: true });
  const built = await esbuild.build({
    entryPoints: { index: join(root, 'shared', 'client', 'index.ts') },
    outdir,
    bundle: true,
    platform: 'neutral',
    mainFields: ['module', 'main'],
    format: 'esm',
    target: 'es2022',
    legalComments: 'none',
    logLevel: 'warning',
    absWorkingDir: root,
    metafile: true,
    plugins: [clientExternals],
  });
  const externals = Object.values(built.metafile.outputs).flatMap((output) =>
    output.imports.filter((entry) => entry.external).map((entry) => entry.path),
  );
  const strays = [...new Set(externals)].filter((path) => path !== 'zod');
  if (strays.length > 0) return `the client imports ${strays.join(', ')}: only zod may stay external`;

  const tsc = join(root, 'node_modules', '.bin', process.platform === 'win32' ? 'tsc.cmd' : 'tsc');
  const declarations = spawnSync(tsc, ['-p', 'tsconfig.client.json', '--outDir', join(outdir, 'types')], {
    cwd: root,
    stdio: 'inherit',
  });
  return declarations.status === 0 ? undefined : 'client declarations failed; see the tsc output above';
}
