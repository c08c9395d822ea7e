import type { Installation } from '../../domain/installation.ts';
import { isPermissionAllowed } from '../../domain/policy-rules.ts';
import type { TenantPolicy } from '../../domain/tenant-policy.ts';

/**
 * What a run may do: the grants the tenant approved at enable time, narrowed to what the manifest
 * still requests and what the tenant's policy allows today. Tightening a policy therefore takes
 * effect on the next run without re-enabling anything.
 */
export function effectiveGrants(installation: Installation, policy: TenantPolicy): string[] {
  const requested = new Set<string>(installation.metadata.permissions);
  return (installation.grants?.permissions ?? []).filter(
    (permission) => requested.has(permission) && isPermissionAllowed(permission, policy),
  );
}
