import type { ArtifactProvenance } from '../../domain/installation.ts';
import type { Signature } from '../../domain/signatures.ts';
import type { TenantPolicy } from '../../domain/tenant-policy.ts';
import type { SignedStatement } from '../../ports/artifact-store.ts';
import type { ProvenanceVerifier } from '../provenance/provenance-verifier.ts';
import { enforceTenantPolicy } from '../validation/enforce-tenant-policy.ts';
import type { DependencyScanDependencies } from '../validation/scan-dependencies.ts';
import { type ValidatedPackage, validatePluginPackage } from '../validation/validate-plugin-package.ts';

export interface PluginSubmission {
  readonly id: unknown;
  readonly version: unknown;
  readonly code: unknown;
  readonly metadata: unknown;
  readonly signature?: Signature | undefined;
  readonly release?: SignedStatement | undefined;
}

/**
 * Plugin validation, in order: metadata, code signing, permissions, dependency
 * scanning, security policy. The first refusal wins; nothing is stored before all pass. Code
 * signing is the platform's release statement (marketplace installs) or a signature by the
 * platform key or by a publisher key the tenant's policy trusts (direct installs).
 */
export class PluginSecurityService {
  private readonly deps: DependencyScanDependencies & {
    provenance: ProvenanceVerifier;
  };

  constructor(deps: PluginSecurityService['deps']) {
    this.deps = deps;
  }

  async validate(
    submission: PluginSubmission,
    policy: TenantPolicy,
    tenantId: string,
  ): Promise<{ package: ValidatedPackage; provenance: ArtifactProvenance }> {
    // A marketplace install's bytes are a release the publish scan passed; a later advisory is
    // for the tenant's advisory policy to weigh, not a reason to refuse here.
    const validated = await validatePluginPackage(submission, this.deps, {
      isScanned: submission.release === undefined,
    });
    // Whether a released version is still offered (not yanked or revoked) is the caller's check.
    const { id: pluginId, version, sha256, bytes } = validated;
    const provenance = await this.deps.provenance.prove(
      { pluginId, version, sha256, bytes },
      submission.release
        ? { kind: 'release', statement: submission.release }
        : { kind: 'signature', signature: submission.signature, trust: { kind: 'tenant', tenantId, policy } },
    );
    enforceTenantPolicy(validated.metadata, policy);
    return { package: validated, provenance };
  }
}
