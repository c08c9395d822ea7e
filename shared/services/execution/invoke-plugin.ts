import { hasErrorCode } from '../../domain/errors/domain-error.ts';
import { PluginIdSchema, TenantIdSchema } from '../../domain/identifiers.ts';
import {
  type DirectInvocation,
  DirectInvocationSchema,
  type RunOutcome,
  refused,
} from '../../domain/invocation.ts';
import { executeInstallation } from './execute-installation.ts';
import type { ExecutionDependencies } from './execution-dependencies.ts';

/**
 * The invoke use case (`POST /v1/plugins/{id}/invoke`, handed over by the lifecycle function,
 * which reads nothing itself). The tenant comes from the caller's verified token; the installation
 * is read once, here, with the tenant's policy and run slots, and its state checked once, so a
 * plugin disabled or uninstalled a moment ago is refused with the state that refused it.
 */
export async function invokePlugin(
  invocation: DirectInvocation,
  deps: ExecutionDependencies,
): Promise<RunOutcome> {
  const parsed = DirectInvocationSchema.safeParse(invocation);
  const tenantId = TenantIdSchema.safeParse(parsed.data?.tenantId);
  const pluginId = PluginIdSchema.safeParse(parsed.data?.pluginId);
  if (!parsed.success || !tenantId.success || !pluginId.success) return refused({ code: 'PluginNotFound' });
  try {
    return await executeInstallation(
      {
        tenantId: tenantId.data,
        pluginId: pluginId.data,
        entry: 'execute',
        input: parsed.data.input ?? null,
        actor: parsed.data.actor,
        requestId: parsed.data.requestId,
        eventDepth: 0,
        requestRecord: parsed.data.requestRecord,
      },
      deps,
    );
  } catch (error) {
    // The run's record could not be written: its result (if it ran) is withheld, fail closed.
    if (hasErrorCode(error, 'AUDIT_UNAVAILABLE'))
      return refused({ code: 'AuditUnavailable', retryAfterSeconds: 1 });
    // A store the checks need could not answer (or the sandbox failed), and that was recorded:
    // the run is refused (fail closed), as "not now" rather than a crash.
    deps.logger?.warn('the run could not be checked; it is refused', {
      tenantId: tenantId.data,
      pluginId: pluginId.data,
      requestId: parsed.data.requestId,
      errorName: error instanceof Error ? error.name : typeof error,
    });
    return refused({ code: 'ExecutionUnavailable', retryAfterSeconds: 1 });
  }
}
