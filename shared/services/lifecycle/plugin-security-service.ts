import type { ArtifactProvenance } from '../../domain/installation.ts';
import type { Signature } from '../../domain/signatures.ts';
import type { TenantPolicy } from '../../domain/tenant-policy.ts';
import type { AdvisorySource } from '../../ports/advisory-source.ts';
import type { SignedStatement } from '../../ports/artifact-store.ts';
import type { PublisherKeyRepository } from '../../ports/publisher-key-repository.ts';
import { enforceTenantPolicy } from '../validation/enforce-tenant-policy.ts';
import { type ValidatedPackage, validatePluginPackage } from '../validation/validate-plugin-package.ts';
import type { PlatformKey } from './platform-key.ts';
import { verifyProvenance } from './verify-provenance.ts';

export interface PluginSubmission {
  readonly id: unknown;
  readonly version: unknown;
  readonly code: unknown;
  readonly metadata: unknown;
  readonly signature?: Signature | undefined;
  readonly release?: SignedStatement | undefined;
}

/**
 * The seed's "Plugin Validation", in order: metadata, code signing, permissions, dependency
 * scanning, security policy. The first refusal wins; nothing is stored before all pass.
 */
export class PluginSecurityService {
  private readonly deps: {
    advisories: AdvisorySource;
    platformKey: () => Promise<PlatformKey>;
    publisherKeys: PublisherKeyRepository;
  };

  constructor(deps: PluginSecurityService['deps']) {
    this.deps = deps;
  }

  async validate(
    submission: PluginSubmission,
    policy: TenantPolicy,
    tenantId: string,
  ): Promise<{ package: ValidatedPackage; provenance: ArtifactProvenance }> {
    const validated = await validatePluginPackage(submission, this.deps);
    const provenance = await verifyProvenance(
      {
        tenantId,
        pluginId: validated.id,
        version: validated.version,
        sha256: validated.sha256,
        bytes: validated.bytes,
        signature: submission.signature,
        release: submission.release,
      },
      { ...this.deps, policy },
    );
    enforceTenantPolicy(validated.metadata, policy);
    return { package: validated, provenance };
  }
}
