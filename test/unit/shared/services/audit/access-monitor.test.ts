import { describe, expect, it } from 'vitest';
import { DEFAULT_ACCESS_MONITORING } from '../../../../../shared/domain/access-monitoring/access-monitoring-policy.ts';
import type { TenantId } from '../../../../../shared/domain/identifiers.ts';
import type { PlatformEvent } from '../../../../../shared/domain/platform-events.ts';
import { DEFAULT_TENANT_POLICY } from '../../../../../shared/domain/tenant-policy.ts';
import { monitorAuditEvents } from '../../../../../shared/services/audit/access-monitor.ts';
import { auditEvent, T0 } from '../../../../support/access-monitoring.ts';
import { InMemoryAccessMonitorState } from '../../../../support/fakes/in-memory-access-monitor-state.ts';
import { InMemoryOutbox } from '../../../../support/fakes/in-memory-outbox.ts';
import { InMemorySecurityMetrics } from '../../../../support/fakes/in-memory-security-metrics.ts';
import { InMemoryTenantPolicyRepository } from '../../../../support/fakes/in-memory-tenant-policy-repository.ts';

function monitor() {
  let nextId = 0;
  const deps = {
    monitorState: new InMemoryAccessMonitorState(),
    policies: new InMemoryTenantPolicyRepository(),
    outbox: new InMemoryOutbox(),
    auditRetry: { attempts: 2, baseDelayMs: 0, sleep: async () => undefined },
    metrics: new InMemorySecurityMetrics(),
    clock: { now: () => new Date(T0) },
    ids: {
      next: () => {
        nextId += 1;
        return `anomaly-${nextId}`;
      },
    },
  };
  return { deps, run: (events: PlatformEvent[]) => monitorAuditEvents(events, deps) };
}

/** A run by plugin `p1` in tenant `t-one` touching `patients` distinct patients, `seconds` after T0. */
const run = (id: string, seconds: number, patientIds: string[]) =>
  auditEvent(id, T0 + seconds * 1000, {
    action: 'plugin:invoked',
    tenantId: 't-one',
    pluginId: 'p1',
    resourceIds: patientIds,
  });
const patients = (prefix: string, count: number) =>
  Array.from({ length: count }, (_, index) => `${prefix}-${index}`);
const denial = (id: string, seconds: number, count: number) =>
  auditEvent(id, T0 + seconds * 1000, {
    action: 'security:permission-denied',
    outcome: 'refused',
    tenantId: 't-one',
    pluginId: 'p1',
    occurrences: { count, firstAt: new Date(T0).toISOString(), lastAt: new Date(T0).toISOString() },
  });

describe('the access monitor over the audit stream', () => {
  it('raises security:anomaly as a platform event and an audit record with the evidence ids', async () => {
    const { deps, run: monitorEvents } = monitor();

    const outcome = await monitorEvents([denial('d-1', 0, 15), denial('d-2', 30, 10)]);

    const expected = {
      rule: 'PermissionDenialBurst',
      tenantId: 't-one',
      pluginId: 'p1',
      observed: 25,
      threshold: DEFAULT_ACCESS_MONITORING.permissionDenials.maxDenials,
      evidenceRecordIds: ['d-1', 'd-2'],
    };
    expect(outcome.anomalies).toEqual([expect.objectContaining(expected)]);
    expect(deps.outbox.events('security:anomaly')).toEqual([
      expect.objectContaining({ tenantId: 't-one', detail: expect.objectContaining(expected) }),
    ]);
    expect(deps.outbox.records).toEqual([
      expect.objectContaining({
        action: 'security:anomaly',
        actor: 'platform:access-monitor',
        tenantId: 't-one',
        pluginId: 'p1',
        code: 'PermissionDenialBurst',
        anomaly: expect.objectContaining({ rule: 'PermissionDenialBurst', observed: 25 }),
        evidenceRecordIds: ['d-1', 'd-2'],
      }),
    ]);
    expect(deps.metrics.raised).toEqual([
      { rule: 'PermissionDenialBurst', tenantId: 't-one', at: new Date(T0) },
    ]);
  });

  it('appends the anomaly record and event to the outbox together, and fails closed when it refuses', async () => {
    const { deps, run: monitorEvents } = monitor();
    deps.outbox.failAppends = 2;

    await expect(monitorEvents([denial('d-1', 0, 25)])).rejects.toMatchObject({ code: 'AUDIT_UNAVAILABLE' });
    expect(deps.outbox.entries).toEqual([]);
  });

  it('raises nothing from its own anomaly records: they feed no rule', async () => {
    const { deps, run: monitorEvents } = monitor();
    await monitorEvents([denial('d-1', 0, 25)]);
    const raised = deps.outbox.entries;
    expect(raised.map((entry) => entry.name)).toEqual(['audit:security:anomaly', 'security:anomaly']);

    const again = await monitorEvents([...raised]);

    expect(again.anomalies).toEqual([]);
    expect(deps.outbox.entries).toHaveLength(2);
  });

  it('counts a replayed event once: the stream is at-least-once', async () => {
    const { run: monitorEvents } = monitor();
    const first = denial('d-1', 0, 15);

    const outcome = await monitorEvents([first, first, structuredClone(first)]);
    const later = await monitorEvents([first]);

    expect(outcome.anomalies).toEqual([]);
    expect(later.anomalies).toEqual([]);
  });

  it('processes events in order, so the state of one batch carries into the next', async () => {
    const { run: monitorEvents } = monitor();

    const first = await monitorEvents([denial('d-1', 0, 12)]);
    const second = await monitorEvents([denial('d-2', 60, 12)]);

    expect(first.anomalies).toEqual([]);
    expect(second.anomalies).toEqual([expect.objectContaining({ evidenceRecordIds: ['d-1', 'd-2'] })]);
  });

  it('reads thresholds from the tenant’s policy, and skips a rule the tenant turned off', async () => {
    const { deps, run: monitorEvents } = monitor();
    const strict = structuredClone(DEFAULT_TENANT_POLICY);
    strict.accessMonitoring.permissionDenials.maxDenials = 2;
    strict.accessMonitoring.offHoursBulk.enabled = false;
    await deps.policies.put('t-one' as TenantId, strict, 0, 'admin', new Date(T0));
    // Saturday 03:00 UTC: far outside the default business hours.
    const night = Date.UTC(2030, 0, 12, 3);

    const outcome = await monitorEvents([
      denial('d-1', 0, 3),
      auditEvent('r-1', night, {
        action: 'plugin:invoked',
        tenantId: 't-one',
        pluginId: 'p1',
        resourceIds: patients('n', 120),
      }),
    ]);

    expect(outcome.anomalies.map((anomaly) => anomaly.rule)).toEqual([
      'PermissionDenialBurst',
      'DistinctPatientRate',
    ]);
  });

  it('raises bulk off-hours access from run records and stays quiet in business hours', async () => {
    const { run: monitorEvents } = monitor();
    const night = Date.UTC(2030, 0, 12, 3);
    const noon = Date.UTC(2030, 0, 8, 12);
    const runAt = (id: string, at: number) =>
      auditEvent(id, at, {
        action: 'plugin:event-delivered',
        tenantId: 't-one',
        pluginId: 'p2',
        resourceIds: patients(id, 30),
      });

    const offHours = await monitorEvents([runAt('n-1', night), runAt('n-2', night + 60_000)]);
    const office = await monitorEvents([runAt('o-1', noon), runAt('o-2', noon + 60_000)]);

    expect(offHours.anomalies).toEqual([
      expect.objectContaining({
        rule: 'OffHoursBulkAccess',
        observed: 60,
        evidenceRecordIds: ['n-1', 'n-2'],
      }),
    ]);
    expect(office.anomalies).toEqual([]);
  });

  it('raises a plugin reading far more patients than its baseline, not one keeping to it', async () => {
    const { run: monitorEvents } = monitor();
    const steady = Array.from({ length: 40 }, (_, minute) =>
      run(`s-${minute}`, minute * 60, patients(`m${minute}`, 10)),
    );

    const quiet = await monitorEvents(steady);
    const burst = await monitorEvents([run('b-1', 40 * 60, patients('b', 60))]);

    expect(quiet.anomalies).toEqual([]);
    expect(burst.anomalies).toEqual([
      expect.objectContaining({
        rule: 'DistinctPatientRate',
        observed: 60,
        threshold: 50,
        evidenceRecordIds: ['b-1'],
      }),
    ]);
  });

  it('counts a publisher’s failures across tenants when the record names the publisher', async () => {
    const { deps, run: monitorEvents } = monitor();
    const failure = (id: string, tenantId: string, seconds: number) =>
      auditEvent(id, T0 + seconds * 1000, {
        action: 'security:release-verification-failed',
        outcome: 'refused',
        tenantId,
        pluginId: 'p9',
        publisherId: 'acme',
        code: 'SIGNATURE_INVALID',
      });
    const tenants = ['t-a', 't-b', 't-c', 't-d', 't-e', 't-f'];

    const outcome = await monitorEvents(
      tenants.map((tenantId, index) => failure(`f-${index}`, tenantId, index * 60)),
    );

    expect(outcome.anomalies).toEqual([
      expect.objectContaining({ rule: 'PublisherVerificationFailures', publisherId: 'acme', observed: 6 }),
    ]);
    expect(outcome.anomalies[0]?.tenantId).toBeUndefined();
    expect(deps.outbox.events('security:anomaly')[0]?.tenantId).toBeUndefined();
  });

  it('counts install failures per tenant by key when no publisher is named', async () => {
    const { run: monitorEvents } = monitor();
    const failure = (id: string, tenantId: string) =>
      auditEvent(id, T0, {
        action: 'security:unverified-artifact-refused',
        outcome: 'refused',
        tenantId,
        pluginId: 'p9',
      });

    const spread = await monitorEvents(
      ['t-a', 't-b', 't-c', 't-d', 't-e', 't-f'].map((tenant, index) => failure(`f-${index}`, tenant)),
    );
    const oneTenant = await monitorEvents(
      Array.from({ length: 6 }, (_, index) => failure(`g-${index}`, 't-a')),
    );

    expect(spread.anomalies).toEqual([]);
    expect(oneTenant.anomalies).toEqual([
      expect.objectContaining({ tenantId: 't-a', publisherId: 'p9', observed: 6 }),
    ]);
  });

  it('retries a state write that collided, and hands back an event whose writes keep colliding', async () => {
    const { deps, run: monitorEvents } = monitor();

    deps.monitorState.conflictsToInject = 2;
    const retried = await monitorEvents([denial('d-1', 0, 1)]);
    deps.monitorState.conflictsToInject = 3;
    const contended = await monitorEvents([denial('d-2', 1, 1)]);

    expect(retried.unsettledEventIds).toEqual([]);
    expect(contended.unsettledEventIds).toEqual(['d-2']);
  });

  it('ignores records no rule watches, its own anomalies, and details that are not audit records', async () => {
    const { deps, run: monitorEvents } = monitor();

    await monitorEvents([
      auditEvent('x-1', T0, { action: 'plugin:installed', tenantId: 't-one', pluginId: 'p1' }),
      auditEvent('x-2', T0, { action: 'security:anomaly', tenantId: 't-one', pluginId: 'p1' }),
      {
        id: 'x-3',
        name: 'audit:plugin:invoked',
        time: new Date(T0).toISOString(),
        detail: { nonsense: true },
      },
      { id: 'x-4', name: 'plugin:installed', time: new Date(T0).toISOString(), detail: {} },
    ]);

    expect(deps.monitorState.items.size).toBe(0);
  });
});

describe('the access monitor and values the audit schema refused', () => {
  it('does not count records whose ids were recorded as invalid', async () => {
    const { deps, run: monitorEvents } = monitor();

    await monitorEvents([
      auditEvent('i-1', T0, {
        action: 'security:release-verification-failed',
        outcome: 'refused',
        publisherId: 'Jane Doe',
        pluginId: 'Jane Doe',
      }),
      auditEvent('i-2', T0, {
        action: 'plugin:invoked',
        tenantId: 'Jane Doe',
        pluginId: 'p1',
        resourceIds: ['x'],
      }),
    ]);

    expect(deps.monitorState.items.size).toBe(0);
  });
});
