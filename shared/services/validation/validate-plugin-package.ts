import { MAX_ARTIFACT_BYTES } from '../../domain/artifact-limits.ts';
import {
  type DetectedComponent,
  type ReleaseSecurity,
  type Sbom,
  SbomSchema,
} from '../../domain/dependency-scan.ts';
import { artifactTooLarge, invalidArtifact, invalidManifest } from '../../domain/errors/package-errors.ts';
import { validationErrorFrom } from '../../domain/errors/request-errors.ts';
import { NewPluginIdSchema } from '../../domain/identifiers.ts';
import { type PluginMetadata, PluginMetadataSchema, SemverSchema } from '../../domain/manifest.ts';
import { sbomSha256Of } from '../../domain/release-claim.ts';
import { sha256Hex } from '../../domain/signatures.ts';
import { toPluginBody } from '../../sandbox/plugin-source.ts';
import { type DependencyScanDependencies, scanDependencies } from './scan-dependencies.ts';

export { MAX_ARTIFACT_BYTES };

export interface PluginPackageInput {
  readonly id: unknown;
  readonly version: unknown;
  readonly code: unknown;
  readonly metadata: unknown;
  /** A CycloneDX JSON SBOM, as sent (marketplace publishing). */
  readonly sbom?: unknown;
}

export interface ValidatedPackage {
  readonly id: string;
  readonly version: string;
  readonly code: string;
  readonly bytes: Uint8Array;
  readonly sha256: string;
  readonly metadata: PluginMetadata;
  readonly sbom?: Sbom | undefined;
  /** SHA-256 of the SBOM's canonical JSON, as the publisher's claim signature names it. */
  readonly sbomSha256?: string | undefined;
  /** What the scan found bundled; empty when the scan was skipped. */
  readonly components: readonly DetectedComponent[];
  /** The publish-time scan; absent when it was skipped. */
  readonly security?: ReleaseSecurity | undefined;
}

export interface PackageValidationOptions {
  /**
   * Whether to run the dependency scan (default yes). A marketplace install skips it: its bytes
   * are proven to be a release the scan passed at publish, and what a later advisory means for
   * an install is the tenant's advisory policy, applied to the release's stored security record.
   */
  readonly isScanned?: boolean;
}

/**
 * The package checks that come first and last in plugin validation, shared by installs and marketplace publishing:
 * the manifest schema, the artifact's size and shape, and the dependency scan. Signature and
 * tenant-policy checks follow in the callers, which know who vouches and for which tenant.
 */
export async function validatePluginPackage(
  input: PluginPackageInput,
  deps: DependencyScanDependencies,
  options: PackageValidationOptions = {},
): Promise<ValidatedPackage> {
  const id = NewPluginIdSchema.safeParse(input.id);
  if (!id.success) throw validationErrorFrom(id.error, 'id');
  const version = SemverSchema.safeParse(input.version);
  if (!version.success) throw validationErrorFrom(version.error, 'version');
  const metadata = PluginMetadataSchema.safeParse(input.metadata);
  if (!metadata.success) {
    const error = validationErrorFrom(metadata.error, 'metadata');
    throw invalidManifest(error.errors);
  }
  if (typeof input.code !== 'string' || input.code.length === 0) {
    throw invalidArtifact('The plugin code must be the module text.');
  }
  const bytes = new TextEncoder().encode(input.code);
  if (bytes.byteLength > MAX_ARTIFACT_BYTES) {
    throw artifactTooLarge(MAX_ARTIFACT_BYTES);
  }
  const shape = toPluginBody(input.code);
  if (!shape.ok) throw invalidArtifact(`The artifact is not a plugin module: ${shape.message}.`);
  const sbom = input.sbom === undefined ? undefined : SbomSchema.safeParse(input.sbom);
  if (sbom && !sbom.success) throw validationErrorFrom(sbom.error, 'sbom');

  const scan =
    options.isScanned === false
      ? undefined
      : await scanDependencies({ code: input.code, metadata: metadata.data, sbom: sbom?.data }, deps);
  return {
    id: id.data,
    version: version.data,
    code: input.code,
    bytes,
    sha256: sha256Hex(bytes),
    metadata: metadata.data,
    ...(sbom ? { sbom: sbom.data, sbomSha256: sbomSha256Of(input.sbom) } : {}),
    components: scan?.components ?? [],
    ...(scan ? { security: scan.security } : {}),
  };
}
