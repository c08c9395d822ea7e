import { type AdvisoryFinding, isAtLeast, severityRank } from './dependency-scan.ts';
import { hostOf, isNetworkPermission } from './permissions.ts';
import type { TenantPolicy } from './tenant-policy.ts';

/** `*.example.org` admits any subdomain of example.org (not the apex); other entries match exactly. */
export function isHostAllowed(host: string, allowedHosts: readonly string[]): boolean {
  return allowedHosts.some((allowed) =>
    allowed.startsWith('*.')
      ? host.endsWith(allowed.slice(1)) && host.length > allowed.length - 1
      : host === allowed,
  );
}

export function isPermissionAllowed(permission: string, policy: TenantPolicy): boolean {
  return isNetworkPermission(permission)
    ? isHostAllowed(hostOf(permission), policy.allowedNetworkHosts)
    : (policy.allowedPermissions as readonly string[]).includes(permission);
}

/**
 * A publisher key the tenant trusts for direct installs: one it registered itself (its own
 * publisher id is its tenant id), or one its policy lists. Both only where the policy admits
 * publisher signatures at all.
 */
export function isPublisherKeyTrusted(
  policy: TenantPolicy,
  tenantId: string,
  key: { keyId: string; publisherId?: string | undefined },
): boolean {
  if (policy.minimumSignatureLevel !== 'publisher') return false;
  return key.publisherId === tenantId || policy.trustedPublisherKeyIds.includes(key.keyId);
}

/**
 * The findings of a release's stored scan at or above the tenant's install threshold
 * (`advisories.blockInstallsAtOrAbove`), most severe first; none without a threshold.
 */
export function blockingFindings(
  findings: readonly AdvisoryFinding[],
  policy: TenantPolicy,
): AdvisoryFinding[] {
  const threshold = policy.advisories.blockInstallsAtOrAbove;
  if (threshold === undefined) return [];
  return findings
    .filter((finding) => isAtLeast(finding.severity, threshold))
    .sort((a, b) => severityRank(b.severity) - severityRank(a.severity));
}
