import { satisfies } from 'semver';
import {
  artifactTooLarge,
  invalidArtifact,
  invalidManifest,
  vulnerableDependency,
} from '../../domain/errors/package-errors.ts';
import { validationErrorFrom } from '../../domain/errors/request-errors.ts';
import { NewPluginIdSchema } from '../../domain/identifiers.ts';
import { type PluginMetadata, PluginMetadataSchema, SemverSchema } from '../../domain/manifest.ts';
import { sha256Hex } from '../../domain/signatures.ts';
import type { AdvisorySource } from '../../ports/advisory-source.ts';
import { toPluginBody } from '../../sandbox/plugin-source.ts';

/** Inline artifacts up to 1 MiB; the sandbox refuses larger results too. */
export const MAX_ARTIFACT_BYTES = 1024 * 1024;

export interface PluginPackageInput {
  readonly id: unknown;
  readonly version: unknown;
  readonly code: unknown;
  readonly metadata: unknown;
}

export interface ValidatedPackage {
  readonly id: string;
  readonly version: string;
  readonly code: string;
  readonly bytes: Uint8Array;
  readonly sha256: string;
  readonly metadata: PluginMetadata;
}

/**
 * The package checks that come first and last in plugin validation, shared by installs and marketplace publishing:
 * the manifest schema, the artifact's size and shape, and the dependency scan. Signature and
 * tenant-policy checks follow in the callers, which know who vouches and for which tenant.
 */
export async function validatePluginPackage(
  input: PluginPackageInput,
  deps: { advisories: AdvisorySource },
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

  await scanDependencies(metadata.data, deps.advisories);
  return {
    id: id.data,
    version: version.data,
    code: input.code,
    bytes,
    sha256: sha256Hex(bytes),
    metadata: metadata.data,
  };
}

async function scanDependencies(metadata: PluginMetadata, advisories: AdvisorySource): Promise<void> {
  for (const [index, dependency] of metadata.dependencies.entries()) {
    for (const advisory of await advisories.advisoriesFor(dependency.name)) {
      if (satisfies(dependency.version, advisory.vulnerableRange, { includePrerelease: true })) {
        throw vulnerableDependency(dependency, advisory, index);
      }
    }
  }
}
