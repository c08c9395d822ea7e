import type { AdvisoryFinding } from '../dependency-scan.ts';
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

/** At most this many findings are spelled out in the message; the `findings` member has them all. */
const FINDINGS_IN_MESSAGE = 10;

/**
 * Every bundled component an advisory affects, each named with package, version, advisory id
 * and severity: in the message, in `errors` (located where the scan found the component) and in
 * the problem's `findings` member, so a publisher fixes them all in one round.
 */
export const vulnerableDependencies = (
  findings: readonly (AdvisoryFinding & { readonly field: string })[],
) => {
  const named = findings.slice(0, FINDINGS_IN_MESSAGE).map(describe).join('; ');
  const more =
    findings.length > FINDINGS_IN_MESSAGE ? `; and ${findings.length - FINDINGS_IN_MESSAGE} more` : '';
  return new DomainError('VULNERABLE_DEPENDENCY', `Vulnerable dependencies: ${named}${more}.`, {
    field: findings[0]?.field,
    errors: findings.map((finding) => ({ field: finding.field, message: describe(finding) })),
    details: {
      findings: findings.map(({ advisoryId, package: name, version, severity }) => ({
        package: name,
        version,
        advisoryId,
        severity,
      })),
    },
  });
};

const describe = (finding: AdvisoryFinding) =>
  `${finding.package}@${finding.version} is affected by advisory ${finding.advisoryId} (${finding.severity})`;

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
