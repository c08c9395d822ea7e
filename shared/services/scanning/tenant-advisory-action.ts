import { platformActor } from '../../domain/actors.ts';
import type { AdvisoryActionTaken } from '../../domain/advisory-rescan.ts';
import type { AdvisoryFinding } from '../../domain/dependency-scan.ts';
import { DomainError } from '../../domain/errors/domain-error.ts';
import type { TenantId } from '../../domain/identifiers.ts';
import type { InstallerFactory } from '../../ports/tenant-installer.ts';
import type { TenantPolicyRepository } from '../../ports/tenant-policy-repository.ts';

export const ADVISORY_ACTOR = platformActor('advisory-rescan');
/** The installation's state reason (and `plugin:disabled` reason) when an advisory disabled it. */
export const ADVISORY_DISABLE_REASON = 'security-advisory';

export interface TenantAdvisoryAction {
  readonly action: AdvisoryActionTaken;
  readonly code?: string;
}

/**
 * What a tenant's policy does about new findings in a version it has installed: `notify` (the
 * default) leaves it to the tenant's admins; `disable-on-critical` stops it when a finding is
 * critical, through the tenant's lifecycle (its own record and `plugin:disabled`). Disabling is
 * idempotent, so a rescan retried after a crash disables nothing twice.
 */
export async function applyTenantAdvisoryPolicy(
  holder: { readonly tenantId: string; readonly pluginId: string },
  newFindings: readonly AdvisoryFinding[],
  deps: { policies: TenantPolicyRepository; installerFor: InstallerFactory; requestId: string },
): Promise<TenantAdvisoryAction> {
  const { policy } = await deps.policies.get(holder.tenantId as TenantId);
  const isCritical = newFindings.some((finding) => finding.severity === 'critical');
  if (policy.advisories.action !== 'disable-on-critical' || !isCritical) return { action: 'notified' };
  const installer = deps.installerFor({
    tenantId: holder.tenantId,
    actorId: ADVISORY_ACTOR,
    requestId: deps.requestId,
  });
  try {
    await installer.disablePlugin(holder.pluginId, { reason: ADVISORY_DISABLE_REASON });
    return { action: 'disabled' };
  } catch (error) {
    return { action: 'disable-failed', code: error instanceof DomainError ? error.code : 'INTERNAL_ERROR' };
  }
}
