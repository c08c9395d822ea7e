import { createHash } from 'node:crypto';
import { copyFileSync, existsSync, mkdirSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';

/**
 * Stages the isolated-vm Lambda layer from the already-installed `node_modules`, offline: no
 * registry, no Docker, no compiler. isolated-vm 7 ships prebuilt binaries, so the layer is just
 * the loader, node-gyp-build, and the one binary Lambda will load:
 *
 *   nodejs/node_modules/isolated-vm/{package.json,isolated-vm.js,LICENSE}
 *   nodejs/node_modules/isolated-vm/prebuilds/linux-arm64/isolated-vm.abi137.glibc.node
 *   nodejs/node_modules/node-gyp-build/{package.json,index.js,node-gyp-build.js,LICENSE}
 *
 * Lambda's Node 24 runtime is Amazon Linux 2023 (glibc) and NODE_MODULE_VERSION 137 (`abi137`).
 */
export interface LayerTarget {
  readonly platform: 'linux';
  readonly arch: 'arm64' | 'x64';
  readonly libc: 'glibc';
  /** process.versions.modules of the Lambda runtime's Node. */
  readonly abi: string;
}

export const LAMBDA_NODE24_ARM64: LayerTarget = {
  platform: 'linux',
  arch: 'arm64',
  libc: 'glibc',
  abi: '137',
};

/** Modules the layer provides; bundles must leave them out (esbuild `external`). */
export const LAYER_MODULES = ['isolated-vm'] as const;

interface StagedFile {
  readonly from: string;
  readonly to: string;
}

export function layerFiles(nodeModulesDir: string, target: LayerTarget = LAMBDA_NODE24_ARM64): StagedFile[] {
  const prebuild = `prebuilds/${target.platform}-${target.arch}/isolated-vm.abi${target.abi}.${target.libc}.node`;
  const files: [string, string[]][] = [
    ['isolated-vm', ['package.json', 'isolated-vm.js', 'LICENSE', prebuild]],
    ['node-gyp-build', ['package.json', 'index.js', 'node-gyp-build.js', 'LICENSE']],
  ];
  return files.flatMap(([packageName, names]) =>
    names.map((name) => ({
      from: join(nodeModulesDir, packageName, name),
      to: join('nodejs', 'node_modules', packageName, name),
    })),
  );
}

/**
 * Fails when the installed isolated-vm has no binary for the target: synth never loads the
 * module, so without this check a missing binary would only surface as a cold-start crash.
 */
export function assertLayerSources(files: readonly StagedFile[]): void {
  const missing = files.filter((file) => !existsSync(file.from)).map((file) => file.from);
  if (missing.length > 0)
    throw new Error(
      `isolated-vm layer: missing ${missing.join(', ')}. Run npm ci; isolated-vm must ship the linux-arm64 glibc prebuild for Node 24 (abi137).`,
    );
}

/** A content hash of exactly what the layer ships, so its version changes only when they do. */
export function layerHash(files: readonly StagedFile[]): string {
  const hash = createHash('sha256');
  for (const file of files) {
    hash.update(file.to);
    hash.update(readFileSync(file.from));
  }
  return hash.digest('hex');
}

export function stageLayer(files: readonly StagedFile[], outputDir: string): void {
  assertLayerSources(files);
  for (const file of files) {
    const destination = join(outputDir, file.to);
    mkdirSync(dirname(destination), { recursive: true });
    copyFileSync(file.from, destination);
  }
}
