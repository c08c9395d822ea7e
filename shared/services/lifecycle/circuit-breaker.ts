import { platformActor } from '../../domain/actors.ts';
import { hasErrorCode } from '../../domain/errors/domain-error.ts';
import type { TenantId } from '../../domain/identifiers.ts';
import type { FailureRecorder } from '../../ports/failure-recorder.ts';
import type { TenantPolicyRepository } from '../../ports/tenant-policy-repository.ts';
import type { UsageCounters } from '../../sandbox/usage-counters.ts';
import type { PluginService } from './plugin-service.ts';

export const CIRCUIT_BREAKER_ACTOR = platformActor('circuit-breaker');

/**
 * Counts a plugin's errors and limit breaches per tenant over the policy's window in the shared
 * counters (so every Lambda instance sees the same totals) and, once a threshold is crossed,
 * disables the plugin in that tenant with reason `auto:error-rate` or `auto:resource`. Only an
 * admin's explicit enable brings it back.
 */
export class CircuitBreaker implements FailureRecorder {
  private readonly deps: {
    counters: UsageCounters;
    policies: TenantPolicyRepository;
    /** A PluginService acting as the platform in the given tenant. */
    pluginServiceFor: (tenantId: TenantId, actorId: string) => PluginService;
  };

  constructor(deps: CircuitBreaker['deps']) {
    this.deps = deps;
  }

  async recordFailure(failure: {
    tenantId: string;
    pluginId: string;
    version: string;
    kind: 'error' | 'resource';
    code: string;
  }): Promise<void> {
    const tenantId = failure.tenantId as TenantId;
    const { policy } = await this.deps.policies.get(tenantId);
    const threshold =
      failure.kind === 'error' ? policy.circuitBreaker.maxErrors : policy.circuitBreaker.maxResourceBreaches;
    const { allowed } = await this.deps.counters.consume(
      `breaker:${tenantId}:${failure.pluginId}:${failure.kind}`,
      1,
      threshold,
      policy.circuitBreaker.windowSeconds * 1000,
    );
    if (allowed) return;
    const service = this.deps.pluginServiceFor(tenantId, CIRCUIT_BREAKER_ACTOR);
    // Uninstalled meanwhile: nothing to disable. Any other failure reaches the caller, which logs it.
    const installation = await service.getPlugin(failure.pluginId).catch((error: unknown) => {
      if (hasErrorCode(error, 'PLUGIN_NOT_FOUND')) return undefined;
      throw error;
    });
    if (installation?.state !== 'enabled') return;
    await service.disablePlugin(failure.pluginId, {
      reason: failure.kind === 'error' ? 'auto:error-rate' : 'auto:resource',
    });
  }
}
