import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { ehrNotConnected } from '../../../../../shared/domain/errors/ehr-errors.ts';
import type { DirectInvocation } from '../../../../../shared/domain/invocation.ts';
import { invokePlugin } from '../../../../../shared/services/execution/invoke-plugin.ts';
import {
  createExecutionPlatform,
  type ExecutionPlatform,
} from '../../../../support/fakes/in-memory-execution-platform.ts';
import { invokeForResult } from '../../../../support/invoke-for-result.ts';

const CANARY = 'Canary McPhi-Patient';

function invocation(pluginId: string, input: unknown = null, tenantId = 't-acme'): DirectInvocation {
  return { kind: 'invoke', tenantId, pluginId, actor: 'user-1', requestId: 'req-1', input };
}

describe('invokePlugin', () => {
  let platform: ExecutionPlatform;

  beforeEach(async () => {
    platform = createExecutionPlatform();
    await platform.ehr.putPatient('t-acme' as never, { id: 'p-1', name: CANARY, birthDate: '1980-01-01' });
  });

  afterEach(() => platform.dispose());

  it('runs an enabled plugin with its grants and records usage with the touched patient ids', async () => {
    await platform.install({
      pluginId: 'reader',
      permissions: ['read:patients'],
      code: 'export default { async execute(input, api) { const p = await api.patients.get(input.id); return p.name; } };',
    });

    const result = await invokeForResult(invocation('reader', { id: 'p-1' }), platform.deps);

    expect(result).toMatchObject({ ok: true, value: CANARY });
    expect(platform.usage.records).toEqual([
      expect.objectContaining({
        tenantId: 't-acme',
        pluginId: 'reader',
        version: '1.0.0',
        ok: true,
        touchedPatientIds: ['p-1'],
      }),
    ]);
    expect(platform.usage.records[0]?.usage.dataCalls).toBe(1);
    expect(platform.outbox.records).toContainEqual(
      expect.objectContaining({
        action: 'plugin:invoked',
        outcome: 'success',
        actor: 't-acme/user-1',
        resourceIds: ['p-1'],
      }),
    );
  });

  it('refuses a plugin that is not enabled, and one that is not installed, without running anything', async () => {
    await platform.install({
      pluginId: 'disabled',
      state: 'disabled',
      code: 'export default { execute() { return 1; } };',
    });

    const disabled = await invokeForResult(invocation('disabled'), platform.deps);
    const missing = await invokeForResult(invocation('missing'), platform.deps);
    const otherTenant = await invokeForResult(invocation('disabled', null, 't-globex'), platform.deps);

    expect(disabled.error?.code).toBe('PluginNotEnabled');
    expect(missing.error?.code).toBe('PluginNotFound');
    expect(otherTenant.error?.code).toBe('PluginNotFound');
    expect(platform.usage.records).toHaveLength(0);
  });

  it('publishes plugin:error without the plugin message and feeds the circuit breaker', async () => {
    await platform.install({
      pluginId: 'thrower',
      code: `export default { execute() { throw new Error('${CANARY}'); } };`,
    });

    const result = await invokeForResult(invocation('thrower'), platform.deps);

    expect(result.error?.code).toBe('PluginError');
    expect(platform.outbox.events('plugin:error')).toEqual([
      expect.objectContaining({
        tenantId: 't-acme',
        detail: expect.objectContaining({ pluginId: 'thrower', code: 'PluginError' }),
      }),
    ]);
    expect(JSON.stringify(platform.outbox.entries)).not.toContain(CANARY);
    expect(platform.failures.failures).toEqual([
      { tenantId: 't-acme', pluginId: 'thrower', version: '1.0.0', kind: 'error', code: 'PluginError' },
    ]);
  });

  it('records a permission denial as a security audit event and ends the run with PermissionDenied', async () => {
    await platform.install({
      pluginId: 'sneaky',
      permissions: [],
      code: "export default { async execute(input, api) { return api.patients.get('p-1'); } };",
    });

    const result = await invokeForResult(invocation('sneaky'), platform.deps);

    expect(result.error?.code).toBe('PermissionDenied');
    expect(platform.outbox.records).toContainEqual(
      expect.objectContaining({
        action: 'security:permission-denied',
        outcome: 'refused',
        pluginId: 'sneaky',
        tenantId: 't-acme',
      }),
    );
  });

  it('caps the plugin limits with the tenant policy and publishes plugin:resource:exceeded', async () => {
    const stored = await platform.policies.get('t-acme' as never);
    await platform.policies.put(
      't-acme' as never,
      { ...stored.policy, maximumLimits: { ...stored.policy.maximumLimits, databaseQueriesPerMinute: 2 } },
      0,
      'admin-1',
      new Date(),
    );
    await platform.install({
      pluginId: 'chatty',
      permissions: ['read:patients'],
      limits: { databaseQueriesPerMinute: 50 },
      code: "export default { async execute(input, api) { for (let i = 0; i < 5; i++) await api.patients.get('p-1'); } };",
    });

    const result = await invokeForResult(invocation('chatty'), platform.deps);

    expect(result.error?.code).toBe('RateLimited');
    expect(platform.outbox.events('plugin:resource:exceeded')[0]?.detail).toEqual({
      pluginId: 'chatty',
      version: '1.0.0',
      tenantId: 't-acme',
      resource: 'databaseQueries',
      limit: 2,
      observed: 3,
      count: 1,
      firstAt: expect.any(String),
      lastAt: expect.any(String),
    });
    expect(platform.outbox.records).toContainEqual(
      expect.objectContaining({
        action: 'security:limit-breach',
        outcome: 'refused',
        actor: 'plugin:chatty',
        pluginId: 'chatty',
        code: 'databaseQueries',
        occurrences: expect.objectContaining({ count: 1 }),
      }),
    );
    expect(platform.failures.failures[0]).toMatchObject({ kind: 'resource', code: 'RateLimited' });
    expect(platform.usage.records[0]).toMatchObject({ ok: false, isLimitBreach: true });
    expect(platform.metrics.samples).toEqual([
      expect.objectContaining({ tenantId: 't-acme', pluginId: 'chatty', ok: false, isLimitBreach: true }),
    ]);
  });

  it('publishes one metric sample per run, ids and figures only, a plugin error not a limit breach', async () => {
    await platform.install({
      pluginId: 'reader',
      permissions: ['read:patients'],
      code: "export default { async execute(input, api) { const p = await api.patients.get('p-1'); throw new Error(p.name); } };",
    });

    await invokeForResult(invocation('reader'), platform.deps);

    expect(platform.metrics.samples).toHaveLength(1);
    const [sample] = platform.metrics.samples;
    expect(sample).toMatchObject({ tenantId: 't-acme', pluginId: 'reader', ok: false, isLimitBreach: false });
    expect(sample?.usage.dataCalls).toBe(1);
    expect(JSON.stringify(platform.metrics.samples)).not.toContain(CANARY);
  });

  it('drops grants the policy no longer allows', async () => {
    await platform.install({
      pluginId: 'writer',
      permissions: ['read:patients', 'write:patients'],
      code: "export default { async execute(input, api) { return api.patients.update('p-1', { phone: '555' }); } };",
    });
    const stored = await platform.policies.get('t-acme' as never);
    await platform.policies.put(
      't-acme' as never,
      { ...stored.policy, allowedPermissions: ['read:patients'] },
      0,
      'a',
      new Date(),
    );

    const result = await invokeForResult(invocation('writer'), platform.deps);

    expect(result.error?.code).toBe('PermissionDenied');
  });

  it('publishes emitted events as plugin-event:<plugin>:<name> with the plugin as origin', async () => {
    await platform.install({
      pluginId: 'emitter',
      code: "export default { execute(input, api) { api.events.emit('reminder-sent', { appointmentId: 'a-1' }); return 'ok'; } };",
    });

    const result = await invokeForResult(invocation('emitter'), platform.deps);

    expect(result.events).toEqual([
      { name: 'plugin-event:emitter:reminder-sent', data: { appointmentId: 'a-1' } },
    ]);
    expect(platform.outbox.events('plugin-event:emitter:reminder-sent')).toEqual([
      expect.objectContaining({
        tenantId: 't-acme',
        detail: {
          pluginId: 'emitter',
          version: '1.0.0',
          name: 'plugin-event:emitter:reminder-sent',
          data: { appointmentId: 'a-1' },
          depth: 1,
        },
      }),
    ]);
  });

  it('never counts a run the platform failed (an event it could not record) towards the circuit breaker', async () => {
    await platform.install({
      pluginId: 'careless-writer',
      permissions: ['write:patients'],
      code: `export default { async execute(input, api) { await api.patients.update('p-1', { phone: '555-0101' }); } };`,
    });
    platform.outbox.failAppends = 3;

    const result = await invokeForResult(invocation('careless-writer'), platform.deps);

    expect(result).toMatchObject({ ok: false, error: { code: 'Unavailable' } });
    expect(platform.failures.failures).toEqual([]);
  });

  it('never counts a run that failed NotConnected (the tenant has no EHR connection) towards the circuit breaker', async () => {
    await platform.install({
      pluginId: 'reader',
      permissions: ['read:patients'],
      code: `export default { async execute(input, api) { return api.patients.get('p-1'); } };`,
    });
    platform.ehr.failNext = ehrNotConnected();

    const result = await invokeForResult(invocation('reader'), platform.deps);

    expect(result).toMatchObject({ ok: false, error: { code: 'NotConnected' } });
    expect(platform.failures.failures).toEqual([]);
  });

  it("records a write's data event in the outbox; one it cannot record fails the call Unavailable, the write standing", async () => {
    await platform.install({
      pluginId: 'writer',
      permissions: ['write:patients'],
      code: `export default { async execute(input, api) {
        try { await api.patients.update('p-1', { phone: input.phone }); return 'recorded'; }
        catch (error) { return error.code; }
      } };`,
    });

    const recorded = await invokeForResult(invocation('writer', { phone: '555-0100' }), platform.deps);
    platform.outbox.failAppends = 3;
    const unrecorded = await invokeForResult(invocation('writer', { phone: '555-0199' }), platform.deps);

    expect(recorded).toMatchObject({ ok: true, value: 'recorded' });
    expect(unrecorded).toMatchObject({ ok: true, value: 'Unavailable' });
    expect(platform.outbox.events('patient:updated')).toEqual([
      expect.objectContaining({
        tenantId: 't-acme',
        detail: { patientId: 'p-1', causedBy: 'plugin:writer' },
      }),
    ]);
    expect(platform.ehr.patient('t-acme' as never, 'p-1')?.phone).toBe('555-0199');
    const [, unrecordedRun] = platform.outbox.records.filter((record) => record.action === 'plugin:invoked');
    expect(unrecordedRun?.dataAccess).toContainEqual(
      expect.objectContaining({ operation: 'patients.update', outcome: 'success', patientIds: ['p-1'] }),
    );
  });

  it('withholds the run result when its usage and record cannot be written (fail closed)', async () => {
    await platform.install({ pluginId: 'fine', code: 'export default { execute() { return 42; } };' });
    platform.usage.record = async () => {
      throw new Error('DynamoDB is down');
    };

    const result = await invokeForResult(invocation('fine'), platform.deps);

    expect(result).toMatchObject({ ok: false, error: { code: 'AuditUnavailable' } });
    expect(result.value).toBeUndefined();
  });

  it('refuses each state but enabled with the state and the platform’s reason, typed', async () => {
    await platform.install({
      pluginId: 'fresh',
      state: 'installed',
      code: 'export default { execute() {} };',
    });
    await platform.install({
      pluginId: 'tripped',
      state: 'disabled',
      code: 'export default { execute() {} };',
    });
    const tripped = platform.installations.items.get('t-acme/tripped');
    if (!tripped) throw new Error('expected the tripped installation');
    platform.installations.items.set('t-acme/tripped', { ...tripped, stateReason: 'auto:error-rate' });

    const fresh = await invokePlugin(invocation('fresh'), platform.deps);
    const disabled = await invokePlugin(invocation('tripped'), platform.deps);
    const missing = await invokePlugin(invocation('missing'), platform.deps);
    const malformed = await invokePlugin({ ...invocation('x'), tenantId: '' }, platform.deps);

    expect(fresh).toEqual({ kind: 'refused', refusal: { code: 'PluginNotEnabled', state: 'installed' } });
    expect(disabled).toEqual({
      kind: 'refused',
      refusal: { code: 'PluginNotEnabled', state: 'disabled', stateReason: 'auto:error-rate' },
    });
    expect(missing).toEqual({ kind: 'refused', refusal: { code: 'PluginNotFound' } });
    expect(malformed).toEqual({ kind: 'refused', refusal: { code: 'PluginNotFound' } });
    expect(platform.ledger.settlements).toHaveLength(0);
  });

  it('reads its context once and settles usage and lease in one write', async () => {
    await platform.install({ pluginId: 'fine', code: 'export default { execute() { return 42; } };' });
    const getInstallation = vi.spyOn(platform.installations, 'get');

    const outcome = await invokePlugin(invocation('fine'), platform.deps);

    expect(outcome).toMatchObject({ kind: 'ran', result: { ok: true, value: 42 } });
    expect(platform.ledger.reads).toEqual([{ tenantId: 't-acme', pluginId: 'fine' }]);
    expect(getInstallation).toHaveBeenCalledTimes(1);
    expect(platform.ledger.settlements).toEqual([
      expect.objectContaining({
        usage: expect.objectContaining({ pluginId: 'fine', ok: true }),
        lease: expect.objectContaining({ tenantId: 't-acme' }),
      }),
    ]);
  });

  it('withholds the result of a run whose record cannot be written: AUDIT_UNAVAILABLE, no output', async () => {
    await platform.install({
      pluginId: 'fine',
      code: 'export default { execute() { return "canary-output-7731"; } };',
    });
    platform.ledger.failSettles = 1;

    const outcome = await invokePlugin(invocation('fine'), platform.deps);

    expect(outcome).toEqual({ kind: 'refused', refusal: { code: 'AuditUnavailable', retryAfterSeconds: 1 } });
    expect(JSON.stringify(outcome)).not.toContain('canary-output-7731');
    expect(platform.outbox.records).toEqual([]);
  });

  it('settles the run with its record, the security record of a denied call and its events, all at once', async () => {
    await platform.ehr.putPatient('t-acme' as never, {
      id: 'p-2',
      name: 'Canary Two',
      birthDate: '1990-01-01',
    });
    await platform.install({
      pluginId: 'nosy',
      permissions: ['read:patients'],
      code: `export default { async execute(input, api) {
        const found = await api.patients.search({ name: 'Canary' });
        for (let n = 0; n < 3; n++) { try { await api.patients.update('p-1', { gender: 'other' }); } catch {} }
        api.events.emit('looked', { found: found.length });
        return found.length;
      } };`,
    });

    const outcome = await invokePlugin(invocation('nosy'), platform.deps);

    expect(outcome).toMatchObject({ kind: 'ran', result: { ok: true, value: 2 } });
    const [settlement] = platform.ledger.settlements;
    expect(settlement?.outbox.map((entry) => entry.name)).toEqual([
      'audit:plugin:invoked',
      'audit:security:permission-denied',
      'plugin-event:nosy:looked',
    ]);
    const [record] = platform.outbox.records;
    expect(record).toMatchObject({ action: 'plugin:invoked', outcome: 'success', requestId: 'req-1' });
    expect(record?.resourceIds?.slice().sort()).toEqual(['p-1', 'p-2']);
    expect(record?.dataAccess).toEqual([
      {
        operation: 'patients.search',
        outcome: 'success',
        count: 1,
        patientIds: expect.arrayContaining(['p-1', 'p-2']),
      },
      { operation: 'patients.update', outcome: 'refused', count: 3, deniedPermission: 'write:patients' },
      { operation: 'events.emit', outcome: 'success', count: 1 },
    ]);
    expect(JSON.stringify(platform.outbox.records)).not.toContain(CANARY);
  });

  it('records a refused run with its code before answering, and fails closed when it cannot', async () => {
    await platform.install({ pluginId: 'off', state: 'disabled', code: 'export default { execute() {} };' });

    const first = await invokePlugin(invocation('off'), platform.deps);
    platform.outbox.failAppends = 3;
    const second = await invokePlugin(invocation('off'), platform.deps);

    expect(first).toMatchObject({ kind: 'refused', refusal: { code: 'PluginNotEnabled' } });
    expect(platform.outbox.records).toEqual([
      expect.objectContaining({ action: 'plugin:invoked', outcome: 'refused', code: 'PluginNotEnabled' }),
    ]);
    expect(second).toEqual({ kind: 'refused', refusal: { code: 'AuditUnavailable', retryAfterSeconds: 1 } });
  });

  it('refuses when the run context cannot be read, before anything runs (fail closed)', async () => {
    await platform.install({ pluginId: 'fine', code: 'export default { execute() { return 42; } };' });
    platform.ledger.failure = new Error('ECONNREFUSED');
    const run = vi.spyOn(platform.sandbox, 'run');

    const outcome = await invokePlugin(invocation('fine'), platform.deps);

    expect(outcome).toEqual({
      kind: 'refused',
      refusal: { code: 'ExecutionUnavailable', retryAfterSeconds: 1 },
    });
    expect(run).not.toHaveBeenCalled();
  });
});
