import { fileURLToPath } from 'node:url';
import { AssetHashType, DockerImage, RemovalPolicy } from 'aws-cdk-lib';
import { Architecture, Code, LayerVersion, Runtime } from 'aws-cdk-lib/aws-lambda';
import { Construct } from 'constructs';
import {
  assertLayerSources,
  LAMBDA_NODE24_ARM64,
  LAYER_MODULES,
  layerFiles,
  layerHash,
  stageLayer,
} from '../../layers/isolated-vm/stage-layer.ts';

const LAYER_DIR = fileURLToPath(new URL('../../layers/isolated-vm/', import.meta.url));
const NODE_MODULES_DIR = fileURLToPath(new URL('../../node_modules/', import.meta.url));

/**
 * isolated-vm for Lambda (nodejs24.x, arm64) as a layer staged by local bundling: it copies the
 * installed package pruned to the one prebuilt binary Lambda loads (~1.1 MB instead of 21 MB).
 * Bundles using it list `modules` as external and load it with `createRequire(import.meta.url)`,
 * because Node's ESM resolver ignores NODE_PATH (where Lambda puts /opt/nodejs/node_modules).
 */
export class IsolatedVmLayer extends Construct {
  readonly layer: LayerVersion;
  readonly modules: readonly string[] = LAYER_MODULES;

  constructor(scope: Construct, id: string) {
    super(scope, id);
    const files = layerFiles(NODE_MODULES_DIR, LAMBDA_NODE24_ARM64);
    assertLayerSources(files);

    this.layer = new LayerVersion(this, 'Layer', {
      description: 'isolated-vm 7 for nodejs24.x on arm64 (linux glibc prebuild, abi137)',
      compatibleRuntimes: [Runtime.NODEJS_24_X],
      compatibleArchitectures: [Architecture.ARM_64],
      license: 'ISC',
      // Function versions pin layer versions; keep old ones so a rollback still deploys.
      removalPolicy: RemovalPolicy.RETAIN,
      code: Code.fromAsset(LAYER_DIR, {
        assetHashType: AssetHashType.CUSTOM,
        assetHash: layerHash(files),
        bundling: {
          // Never used: local bundling always succeeds, so synth needs no Docker.
          image: DockerImage.fromRegistry('local-bundling-only'),
          local: {
            tryBundle(outputDir: string) {
              stageLayer(files, outputDir);
              return true;
            },
          },
        },
      }),
    });
  }
}
