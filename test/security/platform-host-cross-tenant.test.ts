import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { TenantId } from '../../shared/domain/identifiers.ts';
import {
  createExecutionPlatform,
  type ExecutionPlatform,
} from '../support/fakes/in-memory-execution-platform.ts';
import { invokeForResult } from '../support/invoke-for-result.ts';

const acme = 't-acme' as TenantId;
const globex = 't-globex' as TenantId;
const GLOBEX_SECRET = 'Globex Canary-Patient';

const PROBE = `export default { async execute(input, api) {
  const outcomes = {};
  const attempt = async (name, call) => {
    try { outcomes[name] = { ok: true, value: await call() }; }
    catch (error) { outcomes[name] = { ok: false, code: error.code }; }
  };
  await attempt('get', () => api.patients.get('g-1'));
  await attempt('update', () => api.patients.update('g-1', { phone: '000' }));
  await attempt('search', () => api.patients.search({ name: 'Globex' }));
  await attempt('cancel', () => api.appointments.cancel('ga-1', 'pwned'));
  await attempt('reschedule', () => api.appointments.reschedule('ga-1', '2031-01-01T00:00:00Z'));
  await attempt('schedule', () => api.appointments.schedule({ patientId: 'g-1', start: '2031-01-01T00:00:00Z', end: '2031-01-01T01:00:00Z' }));
  return outcomes;
} };`;

/**
 * Attack: a plugin installed in tenant acme names ids of tenant globex's records through every
 * data call. Each must look exactly like a record that does not exist, change nothing in globex,
 * and publish no event for globex.
 */
describe('security: the platform host never crosses tenants', () => {
  let platform: ExecutionPlatform;

  beforeEach(async () => {
    platform = createExecutionPlatform();
    await platform.ehr.putPatient(globex, { id: 'g-1', name: GLOBEX_SECRET, birthDate: '1970-01-01' });
    await platform.ehr.putAppointment(globex, {
      id: 'ga-1',
      patientId: 'g-1',
      start: '2030-05-01T10:00:00.000Z',
      end: '2030-05-01T10:30:00.000Z',
      status: 'booked',
    });
    await platform.ehr.putPatient(acme, { id: 'a-1', name: 'Acme Patient', birthDate: '1990-01-01' });
  });

  afterEach(() => platform.dispose());

  it("answers not found for another tenant's ids and leaves its records and events untouched", async () => {
    await platform.install({
      pluginId: 'probe',
      permissions: ['read:patients', 'write:patients', 'read:appointments', 'write:appointments'],
      code: PROBE,
    });
    const globexBefore = JSON.stringify(
      [...platform.ehr.patients, ...platform.ehr.appointments].filter(([key]) => key.startsWith('t-globex/')),
    );

    const result = await invokeForResult(
      { kind: 'invoke', tenantId: acme, pluginId: 'probe', actor: 'user-1', requestId: 'req-1', input: null },
      platform.deps,
    );

    expect(result).toMatchObject({
      ok: true,
      value: {
        get: { ok: false, code: 'NotFound' },
        update: { ok: false, code: 'NotFound' },
        search: { ok: true, value: [] },
        cancel: { ok: false, code: 'NotFound' },
        reschedule: { ok: false, code: 'NotFound' },
        schedule: { ok: false, code: 'NotFound' },
      },
    });
    expect(JSON.stringify(result)).not.toContain(GLOBEX_SECRET);
    const globexAfter = JSON.stringify(
      [...platform.ehr.patients, ...platform.ehr.appointments].filter(([key]) => key.startsWith('t-globex/')),
    );
    expect(globexAfter).toBe(globexBefore);
    expect(platform.outbox.entries.filter((event) => event.tenantId === globex)).toEqual([]);
    expect(platform.usage.records[0]?.touchedPatientIds).toEqual([]);
  });

  it("answers a not-found for another tenant's id exactly like an id that never existed", async () => {
    await platform.install({
      pluginId: 'compare',
      permissions: ['read:patients'],
      code: `export default { async execute(input, api) {
        const message = async (id) => { try { await api.patients.get(id); } catch (error) { return error.code + ':' + error.message.replace(id, '<id>'); } };
        return [await message('g-1'), await message('never-existed')];
      } };`,
    });

    const result = await invokeForResult(
      {
        kind: 'invoke',
        tenantId: acme,
        pluginId: 'compare',
        actor: 'user-1',
        requestId: 'req-1',
        input: null,
      },
      platform.deps,
    );

    const [otherTenant, absent] = result.value as [string, string];
    expect(otherTenant).toBe(absent);
  });
});
