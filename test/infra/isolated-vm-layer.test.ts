import { execFileSync } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { App, Duration, Stack } from 'aws-cdk-lib';
import { Key } from 'aws-cdk-lib/aws-kms';
import { beforeAll, describe, expect, it } from 'vitest';
import { PluginFunction } from '../../infra/constructs/plugin-function.ts';
import {
  assertLayerSources,
  LAMBDA_NODE24_ARM64,
  LAYER_MODULES,
  type LayerTarget,
  layerFiles,
  layerHash,
  stageLayer,
} from '../../layers/isolated-vm/stage-layer.ts';
import { FIXTURE_HANDLER } from './synth-platform.ts';

const NODE_MODULES = fileURLToPath(new URL('../../node_modules/', import.meta.url));

function filesUnder(dir: string): string[] {
  return readdirSync(dir, { recursive: true, encoding: 'utf8' }).filter((path) =>
    statSync(join(dir, path)).isFile(),
  );
}

describe('the isolated-vm layer', () => {
  it('ships only the linux-arm64 glibc binary for Node 24 (abi137)', () => {
    const binaries = layerFiles(NODE_MODULES).filter((file) => file.to.endsWith('.node'));

    expect(binaries.map((file) => file.to)).toEqual([
      'nodejs/node_modules/isolated-vm/prebuilds/linux-arm64/isolated-vm.abi137.glibc.node',
    ]);
  });

  it('stages nodejs/node_modules/{isolated-vm,node-gyp-build} in about a megabyte', () => {
    const outputDir = mkdtempSync(join(tmpdir(), 'gradiant-layer-'));

    stageLayer(layerFiles(NODE_MODULES), outputDir);

    const files = filesUnder(outputDir);
    const bytes = files.reduce((total, path) => total + statSync(join(outputDir, path)).size, 0);
    expect(files.every((path) => path.startsWith('nodejs/node_modules/'))).toBe(true);
    expect(files).toContain('nodejs/node_modules/node-gyp-build/node-gyp-build.js');
    expect(bytes).toBeLessThan(3 * 1024 * 1024);
  });

  it('fails synth when the installed package lacks the target binary', () => {
    const future: LayerTarget = { ...LAMBDA_NODE24_ARM64, abi: '999' };

    expect(() => assertLayerSources(layerFiles(NODE_MODULES, future))).toThrow(/abi999/);
  });

  it('versions the layer by what it ships', () => {
    const arm = layerHash(layerFiles(NODE_MODULES, LAMBDA_NODE24_ARM64));
    const x64 = layerHash(layerFiles(NODE_MODULES, { ...LAMBDA_NODE24_ARM64, arch: 'x64' }));

    expect(arm).toMatch(/^[0-9a-f]{64}$/);
    expect(arm).not.toBe(x64);
    expect(layerHash(layerFiles(NODE_MODULES))).toBe(arm);
  });
});

describe('a function bundled with the layer modules external', () => {
  let bundlePath: string;

  beforeAll(() => {
    const outdir = mkdtempSync(join(tmpdir(), 'gradiant-bundle-'));
    const app = new App({ outdir, builtinCloudFormationValidation: false });
    const stack = new Stack(app, 'LayerProbe');
    new PluginFunction(stack, 'Probe', {
      entry: FIXTURE_HANDLER,
      description: 'probe',
      serviceName: 'probe',
      environment: {},
      logKey: new Key(stack, 'LogKey', { enableKeyRotation: true }),
      memorySize: 128,
      timeout: Duration.seconds(5),
      reservedConcurrentExecutions: 1,
      layerModules: LAYER_MODULES,
      outsideVpcReason: 'test probe',
    });
    const assembly = app.synth();
    const template = assembly.getStackByName('LayerProbe').template as {
      Resources: Record<string, { Type: string; Properties: { Code?: { S3Key: string } } }>;
    };
    const key = Object.values(template.Resources).find(
      (resource) => resource.Type === 'AWS::Lambda::Function',
    )?.Properties.Code?.S3Key;
    bundlePath = join(outdir, `asset.${String(key).replace(/\.zip$/, '')}`, 'index.mjs');
  });

  const runBundle = (nodePath: string | undefined) =>
    execFileSync(
      process.execPath,
      [
        '--no-node-snapshot',
        '--input-type=module',
        '-e',
        `const m = await import(${JSON.stringify(bundlePath)}); console.log(JSON.stringify(await m.handler()));`,
      ],
      {
        env: { PATH: process.env.PATH, ...(nodePath ? { NODE_PATH: nodePath } : {}) },
        encoding: 'utf8',
        stdio: 'pipe',
      },
    );

  it('leaves isolated-vm out of the bundle', () => {
    expect(readFileSync(bundlePath, 'utf8')).not.toContain('node-gyp-build');
    expect(() => runBundle(undefined)).toThrow(/Cannot find module 'isolated-vm'/);
  });

  // Linux only: the layer layout carries the glibc tag that node-gyp-build matches on Linux.
  it.runIf(process.platform === 'linux')(
    'loads isolated-vm from a layer on NODE_PATH, as Lambda mounts /opt/nodejs',
    () => {
      // The same layout staged for this machine's CPU: Lambda's arm64 binary cannot load here.
      const arch = process.arch === 'arm64' ? 'arm64' : 'x64';
      const layerDir = mkdtempSync(join(tmpdir(), 'gradiant-host-layer-'));
      stageLayer(layerFiles(NODE_MODULES, { ...LAMBDA_NODE24_ARM64, arch }), layerDir);

      expect(JSON.parse(runBundle(join(layerDir, 'nodejs', 'node_modules')))).toEqual({ ok: true });
    },
  );
});
