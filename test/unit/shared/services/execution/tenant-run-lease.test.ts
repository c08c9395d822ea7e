import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { DirectInvocation } from '../../../../../shared/domain/invocation.ts';
import { PLATFORM_EVENT_SOURCE } from '../../../../../shared/domain/platform-events.ts';
import { DEFAULT_TENANT_POLICY } from '../../../../../shared/domain/tenant-policy.ts';
import { deliverEvent, EventDeliveryError } from '../../../../../shared/services/execution/deliver-event.ts';
import { admitRun, MAX_RUN_LEASE_MS } from '../../../../../shared/services/execution/tenant-run-lease.ts';
import {
  createExecutionPlatform,
  type ExecutionPlatform,
} from '../../../../support/fakes/in-memory-execution-platform.ts';
import type { InMemoryRunLeaseStore } from '../../../../support/fakes/in-memory-run-lease-store.ts';
import { invokeForResult } from '../../../../support/invoke-for-result.ts';

const QUICK = 'export default { execute(input) { return { echo: input }; }, onEvent() { return 1; } };';

const invocation = (tenantId = 't-acme', requestId = 'req-1'): DirectInvocation => ({
  kind: 'invoke',
  tenantId,
  pluginId: 'quick',
  actor: 'user-1',
  requestId,
  input: null,
});

const request = (requestId: string, tenantId = 't-acme') => ({
  installation: { tenantId, pluginId: 'quick', version: '1.0.0' },
  actor: 'user-1',
  requestId,
});

describe('the per-tenant concurrent-run cap', () => {
  let platform: ExecutionPlatform;
  let leases: InMemoryRunLeaseStore;

  beforeEach(async () => {
    platform = createExecutionPlatform();
    leases = platform.deps.runLeases as InMemoryRunLeaseStore;
    await platform.install({ pluginId: 'quick', code: QUICK, events: ['appointment:scheduled'] });
    await platform.install({ tenantId: 't-globex', pluginId: 'quick', code: QUICK });
  });

  afterEach(() => platform.dispose());

  const capAt = (maxConcurrentRuns: number, tenantId = 't-acme') =>
    platform.policies.policies.set(tenantId, {
      policy: { ...DEFAULT_TENANT_POLICY, maxConcurrentRuns },
      version: 1,
    });

  it('admits runs up to the cap and refuses the next with a Retry-After and a security record to append', async () => {
    const policy = { maxConcurrentRuns: 2 };
    const limits = { timeoutMs: 3_000 };

    const first = await admitRun(request('r-1'), policy, limits, platform.deps);
    const second = await admitRun(request('r-2'), policy, limits, platform.deps);
    const third = await admitRun(request('r-3'), policy, limits, platform.deps);
    const otherTenant = await admitRun(request('r-4', 't-globex'), policy, limits, platform.deps);

    expect(first.isAdmitted && second.isAdmitted && otherTenant.isAdmitted).toBe(true);
    expect(third).toMatchObject({
      isAdmitted: false,
      refusal: { code: 'TenantConcurrencyExceeded', retryAfterSeconds: 3 },
    });
    expect(third.isAdmitted ? [] : third.records).toEqual([
      expect.objectContaining({
        action: 'security:tenant-concurrency-exceeded',
        outcome: 'refused',
        code: 'TenantConcurrencyExceeded',
        tenantId: 't-acme',
        requestId: 'r-3',
      }),
    ]);
  });

  it('gives the slot back when the run ends, so the next run is admitted', async () => {
    const policy = { maxConcurrentRuns: 1 };
    const first = await admitRun(request('r-1'), policy, { timeoutMs: 1_000 }, platform.deps);
    if (!first.isAdmitted) throw new Error('expected the first run to be admitted');

    await first.release();
    const next = await admitRun(request('r-2'), policy, { timeoutMs: 1_000 }, platform.deps);

    expect(next.isAdmitted).toBe(true);
  });

  it('reclaims the slot of a holder that never released it once its lease expires', async () => {
    const policy = { maxConcurrentRuns: 1 };
    await admitRun(request('crashed-holder'), policy, { timeoutMs: 1_000 }, platform.deps);
    const whileHeld = await admitRun(request('r-2'), policy, { timeoutMs: 1_000 }, platform.deps);

    platform.clock.advance(MAX_RUN_LEASE_MS);
    const afterExpiry = await admitRun(request('r-3'), policy, { timeoutMs: 1_000 }, platform.deps);

    expect(whileHeld.isAdmitted).toBe(false);
    expect(afterExpiry.isAdmitted).toBe(true);
  });

  it('refuses the run when the lease store cannot be reached, and never starts the sandbox', async () => {
    leases.failure = new Error('ECONNREFUSED');

    const result = await invokeForResult(invocation(), platform.deps);

    expect(result).toMatchObject({ ok: false, error: { code: 'RunLeaseUnavailable' } });
    expect(platform.usage.records).toEqual([]);
    expect(platform.outbox.records).toContainEqual(
      expect.objectContaining({ outcome: 'refused', code: 'RunLeaseUnavailable' }),
    );
  });

  it('refuses a direct invocation beyond the cap without running it, and leaves other tenants alone', async () => {
    capAt(1);
    await leases.acquire({
      tenantId: 't-acme',
      capacity: 1,
      leaseMs: 10_000,
      expectedRunMs: 2_000,
      holder: 'x',
    });

    const refused = await invokeForResult(invocation('t-acme', 'req-refused'), platform.deps);
    const other = await invokeForResult(invocation('t-globex', 'req-other'), platform.deps);

    expect(refused).toMatchObject({
      ok: false,
      error: { code: 'TenantConcurrencyExceeded' },
      retryAfterSeconds: 2,
    });
    expect(other).toMatchObject({ ok: true });
    expect(platform.usage.records.map((record) => record.tenantId)).toEqual(['t-globex']);
    expect(platform.failures.failures).toEqual([]);
  });

  it('holds a slot only while the run is in flight, whether the plugin succeeds or fails', async () => {
    capAt(1);
    await platform.install({
      pluginId: 'thrower',
      code: 'export default { execute() { throw new Error("x"); } };',
    });

    const ok = await invokeForResult(invocation(), platform.deps);
    const failed = await invokeForResult({ ...invocation(), pluginId: 'thrower' }, platform.deps);
    const again = await invokeForResult(invocation(), platform.deps);

    expect(ok.ok).toBe(true);
    expect(failed).toMatchObject({ ok: false, error: { code: 'PluginError' } });
    expect(again.ok).toBe(true);
    expect(leases.held('t-acme')).toBe(0);
  });

  it('throws an event delivery refused by the cap so that it is retried, not marked delivered', async () => {
    capAt(1);
    const held = await leases.acquire({
      tenantId: 't-acme',
      capacity: 1,
      leaseMs: 10_000,
      expectedRunMs: 2_000,
      holder: 'x',
    });
    const event = {
      id: 'envelope-1',
      source: PLATFORM_EVENT_SOURCE,
      'detail-type': 'appointment:scheduled',
      time: '2030-01-01T09:00:00.000Z',
      detail: { id: 'evt-1', tenantId: 't-acme', appointmentId: 'a-1' },
    };

    const refused = await deliverEvent(event, platform.deps).catch((error: unknown) => error);
    if (held.status === 'acquired') await leases.release(held.lease);
    const retried = await deliverEvent(event, platform.deps);

    expect(refused).toBeInstanceOf(EventDeliveryError);
    expect((refused as EventDeliveryError).failed).toEqual([
      { pluginId: 'quick', code: 'TenantConcurrencyExceeded' },
    ]);
    expect(retried.delivered).toEqual(['quick']);
  });
});
