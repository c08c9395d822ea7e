import { actorIn } from '../../domain/actors.ts';
import type { CrashCode, DirectInvocation } from '../../domain/invocation.ts';
import { type AuditTrail, appendAudit } from '../audit/audit-trail.ts';

/**
 * A run whose process died (a Lambda instance or a local worker ended mid-run) could not record
 * itself, so the invoking side records it before the caller gets the crash: appended on its own,
 * failing closed with `AUDIT_UNAVAILABLE` when even that cannot be written.
 */
export function recordCrashedRun(
  invocation: DirectInvocation,
  code: CrashCode,
  trail: AuditTrail,
): Promise<void> {
  return appendAudit(trail, [
    {
      action: 'plugin:invoked',
      outcome: 'failure',
      actor: actorIn(invocation.tenantId, invocation.actor),
      tenantId: invocation.tenantId,
      pluginId: invocation.pluginId,
      requestId: invocation.requestId,
      code,
    },
  ]);
}
