import type { ReleaseSecurity } from '../../domain/dependency-scan.ts';
import { vulnerableDependencies } from '../../domain/errors/package-errors.ts';
import { permissionNotAllowed, policyViolation } from '../../domain/errors/policy-errors.ts';
import type { PluginMetadata } from '../../domain/manifest.ts';
import { blockingFindings, isHostAllowed, isPermissionAllowed } from '../../domain/policy-rules.ts';
import type { TenantPolicy } from '../../domain/tenant-policy.ts';
import type { Limits } from '../../sandbox/limits.ts';

/** The tenant's policy check: every requested permission must be one the tenant allows. */
export function checkPermissionsAllowed(
  permissions: readonly string[],
  policy: TenantPolicy,
  fieldPrefix = 'metadata.permissions',
): void {
  permissions.forEach((permission, index) => {
    if (!isPermissionAllowed(permission, policy)) {
      throw permissionNotAllowed(permission, `${fieldPrefix}.${index}`);
    }
  });
}

/** Step 5: network hosts and requested limits within the tenant's policy; refusals name the rule. */
export function enforceTenantPolicy(metadata: PluginMetadata, policy: TenantPolicy): void {
  checkPermissionsAllowed(metadata.permissions, policy);
  metadata.networkHosts.forEach((host, index) => {
    if (!isHostAllowed(host, policy.allowedNetworkHosts)) {
      throw policyViolation(
        `The tenant policy (rule allowedNetworkHosts) does not allow the host ${host}.`,
        `metadata.networkHosts.${index}`,
      );
    }
  });
  for (const [name, requested] of Object.entries(metadata.limits) as [keyof Limits, number][]) {
    if (requested > policy.maximumLimits[name]) {
      throw policyViolation(
        `The tenant policy (rule maximumLimits.${name}) caps ${name} at ${policy.maximumLimits[name]}.`,
        `metadata.limits.${name}`,
      );
    }
  }
}

/** A marketplace install or update of a release whose stored findings reach the tenant's threshold. */
export function refuseVulnerableRelease(security: ReleaseSecurity | undefined, policy: TenantPolicy): void {
  const blocking = blockingFindings(security?.findings ?? [], policy);
  // The stored scan's findings, refused as a publish scan refuses them (every one named).
  if (blocking.length > 0)
    throw vulnerableDependencies(blocking.map((finding) => ({ ...finding, field: 'version' })));
}
