import type { ProvenanceRefusal } from '../provenance.ts';
import { DomainError, type FieldIssue } from './domain-error.ts';

/** Plugin packages and their provenance: manifest, artifact, dependencies, signatures. */

export const invalidManifest = (errors: readonly FieldIssue[]) =>
  new DomainError('INVALID_MANIFEST', 'The plugin manifest is not valid.', {
    field: errors[0]?.field ?? 'metadata',
    errors,
  });

export const invalidArtifact = (message: string, field = 'code', cause?: unknown) =>
  new DomainError('INVALID_ARTIFACT', message, { field, cause });

export const artifactTooLarge = (maxBytes: number, field = 'code') =>
  new DomainError('ARTIFACT_TOO_LARGE', `The artifact exceeds ${maxBytes} bytes.`, { field });

export const vulnerableDependency = (
  dependency: { readonly name: string; readonly version: string },
  advisory: { readonly id: string; readonly severity: string },
  index: number,
) =>
  new DomainError(
    'VULNERABLE_DEPENDENCY',
    `Dependency ${dependency.name}@${dependency.version} is affected by advisory ${advisory.id} (${advisory.severity}).`,
    { field: `metadata.dependencies.${index}` },
  );

/**
 * The same refusal for a stored scan's finding (an install or update of a release whose findings
 * reach the tenant's `advisories.blockInstallsAtOrAbove`): names package, version, advisory, severity.
 */
export const vulnerableReleaseDependency = (
  finding: {
    readonly package: string;
    readonly version: string;
    readonly advisoryId: string;
    readonly severity: string;
  },
  field = 'version',
) =>
  new DomainError(
    'VULNERABLE_DEPENDENCY',
    `Dependency ${finding.package}@${finding.version} is affected by advisory ${finding.advisoryId} (${finding.severity}).`,
    { field },
  );

/** Stored bytes that do not hash to their digest, or a release whose artifact is gone. */
export const artifactTampered = (message: string, field?: string) =>
  new DomainError('ARTIFACT_TAMPERED', message, { field });

/** The artifact could not be proven to be what the tenant installed: it must never run. */
export const artifactUnverified = (
  message = 'The plugin artifact failed verification and was not run.',
  cause?: unknown,
) => new DomainError('ARTIFACT_UNVERIFIED', message, { cause });
/** A provenance refusal thrown by an admission (install, publish); the code decides the status. */
export const provenanceRefused = (refusal: ProvenanceRefusal) =>
  new DomainError(refusal.code, refusal.message, { field: refusal.field });
