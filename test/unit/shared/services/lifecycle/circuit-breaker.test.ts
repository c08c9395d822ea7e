import { beforeEach, describe, expect, it } from 'vitest';
import { InMemoryUsageCounters } from '../../../../../shared/sandbox/usage-counters.ts';
import { CircuitBreaker } from '../../../../../shared/services/lifecycle/circuit-breaker.ts';
import { createLifecycleHarness } from '../../../../support/lifecycle-harness.ts';

describe('CircuitBreaker', () => {
  let h: Awaited<ReturnType<typeof createLifecycleHarness>>;
  let breaker: CircuitBreaker;
  const failure = (kind: 'error' | 'resource', tenantId = 't-acme') => ({
    tenantId,
    pluginId: 'p1',
    version: '1.0.0',
    kind,
    code: kind === 'error' ? 'PluginError' : 'CpuBudgetExceeded',
  });

  beforeEach(async () => {
    h = await createLifecycleHarness();
    h.setPolicy('t-acme', {
      minimumSignatureLevel: 'publisher',
      trustedPublisherKeyIds: ['pub-key-1'],
      circuitBreaker: { maxErrors: 3, maxResourceBreaches: 2, windowSeconds: 60 },
    });
    const service = h.serviceFor();
    await h.installSample();
    await service.enablePlugin('p1');
    breaker = new CircuitBreaker({
      counters: new InMemoryUsageCounters(),
      policies: h.policies,
      pluginServiceFor: (tenantId, actorId) => h.serviceFor(tenantId, actorId),
    });
  });

  it('keeps the plugin enabled up to the error threshold and disables it past it, saying why', async () => {
    for (let i = 0; i < 3; i++) await breaker.recordFailure(failure('error'));
    const beforeTrip = await h.serviceFor().getPlugin('p1');

    await breaker.recordFailure(failure('error'));

    expect(beforeTrip.state).toBe('enabled');
    expect(await h.serviceFor().getPlugin('p1')).toMatchObject({
      state: 'disabled',
      stateReason: 'auto:error-rate',
    });
    expect(h.outbox.events('plugin:disabled').at(-1)?.detail).toMatchObject({
      reason: 'auto:error-rate',
      actor: 'platform:circuit-breaker',
    });
    expect(h.outbox.records.slice(-2)).toEqual([
      expect.objectContaining({ action: 'plugin:disable', outcome: 'success', reason: 'auto:error-rate' }),
      expect.objectContaining({
        action: 'security:plugin-stopped-by-platform',
        actor: 'platform:circuit-breaker',
        pluginId: 'p1',
        reason: 'auto:error-rate',
      }),
    ]);
  });

  it('trips on limit breaches with its own threshold and reason', async () => {
    for (let i = 0; i < 3; i++) await breaker.recordFailure(failure('resource'));

    expect(await h.serviceFor().getPlugin('p1')).toMatchObject({
      state: 'disabled',
      stateReason: 'auto:resource',
    });
  });

  it('stays disabled until an admin enables it explicitly', async () => {
    for (let i = 0; i < 4; i++) await breaker.recordFailure(failure('error'));

    await breaker.recordFailure(failure('error'));
    const reenabled = await h.serviceFor().enablePlugin('p1');

    expect(h.outbox.events('plugin:disabled')).toHaveLength(1);
    expect(reenabled).toMatchObject({ state: 'enabled' });
    expect(reenabled.stateReason).toBeUndefined();
  });

  it('counts per tenant: failures in one tenant never disable another tenant’s install', async () => {
    for (let i = 0; i < 10; i++) await breaker.recordFailure(failure('error', 't-globex'));

    expect((await h.serviceFor().getPlugin('p1')).state).toBe('enabled');
  });

  it('lets a failing installation read reach its caller instead of skipping the trip', async () => {
    const failing = new CircuitBreaker({
      counters: new InMemoryUsageCounters(),
      policies: h.policies,
      pluginServiceFor: (tenantId, actorId) => {
        const service = h.serviceFor(tenantId, actorId);
        service.getPlugin = async () => {
          throw Object.assign(new Error('store down'), { name: 'ProvisionedThroughputExceededException' });
        };
        return service;
      },
    });

    for (let i = 0; i < 2; i++) await failing.recordFailure(failure('resource'));
    const tripped = failing.recordFailure(failure('resource'));

    await expect(tripped).rejects.toThrow('store down');
  });

  it('does nothing when the plugin was uninstalled before the trip', async () => {
    const service = h.serviceFor();
    await service.disablePlugin('p1');
    await service.uninstallPlugin('p1');

    for (let i = 0; i < 3; i++) await breaker.recordFailure(failure('resource'));

    expect(h.outbox.events('plugin:disabled')).toHaveLength(1);
  });
});
