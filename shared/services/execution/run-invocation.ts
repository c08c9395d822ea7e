import { PluginIdSchema, TenantIdSchema } from '../../domain/identifiers.ts';
import {
  type DirectInvocation,
  DirectInvocationSchema,
  type InvocationResult,
} from '../../domain/invocation.ts';
import { executeInstallation } from './execute-installation.ts';
import type { ExecutionDependencies } from './execution-dependencies.ts';
import { refusal } from './invocation-outcome.ts';

/**
 * A direct invocation (`POST /v1/plugins/{id}/invoke`, handed over by the lifecycle function).
 * The tenant comes from the caller's verified token; the installation is read again here, so a
 * plugin disabled or uninstalled a moment ago is refused even if the lifecycle saw it enabled.
 */
export async function runInvocation(
  invocation: DirectInvocation,
  deps: ExecutionDependencies,
): Promise<InvocationResult> {
  const parsed = DirectInvocationSchema.safeParse(invocation);
  const tenantId = TenantIdSchema.safeParse(parsed.data?.tenantId);
  const pluginId = PluginIdSchema.safeParse(parsed.data?.pluginId);
  if (!parsed.success || !tenantId.success || !pluginId.success) {
    return refusal('PluginNotFound', 'the plugin is not installed in this tenant');
  }
  const installation = await deps.installations.get(tenantId.data, pluginId.data);
  if (!installation)
    return refusal('PluginNotFound', `plugin ${pluginId.data} is not installed in this tenant`);
  return executeInstallation(
    {
      installation,
      entry: 'execute',
      input: parsed.data.input ?? null,
      actor: parsed.data.actor,
      requestId: parsed.data.requestId,
      eventDepth: 0,
    },
    deps,
  );
}
