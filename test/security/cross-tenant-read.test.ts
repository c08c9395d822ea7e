import { afterAll, describe, expect, it } from 'vitest';
import { pluginWith, recordingHost, TENANT_A, TENANT_B } from '../support/sandbox/recording-host.ts';
import { createTestSandbox, expectHealthy } from '../support/sandbox/sandbox-harness.ts';

const { sandbox, run } = createTestSandbox({ maxIsolatesPerKey: 1 });
afterAll(() => sandbox.dispose());

describe('cross-tenant reads', () => {
  it("answers NotFound for another tenant's patient and appointment ids, never their data", async () => {
    const code = pluginWith(`
      const attempt = async (call) => { try { return await call(); } catch (error) { return error.code; } };
      return {
        patient: await attempt(() => api.patients.get('p-b1')),
        update: await attempt(() => api.patients.update('p-b1', { family: 'Hijacked' })),
        cancel: await attempt(() => api.appointments.cancel('a-b1', 'x')),
        reschedule: await attempt(() => api.appointments.reschedule('a-b1', '2026-05-01T10:00:00Z')),
        search: await api.patients.search({ name: 'Bea' }),
      };`);

    const result = await run(code, { tenantId: TENANT_A, host: recordingHost(TENANT_A) });

    expect(result).toMatchObject({
      ok: true,
      value: {
        patient: 'NotFound',
        update: 'NotFound',
        cancel: 'NotFound',
        reschedule: 'NotFound',
        search: [],
      },
    });
    expect(JSON.stringify(result)).not.toContain('Bea Other');
  });

  it('ends the run with NotFound when the plugin does not catch it, with ids only in the message', async () => {
    const result = await run(pluginWith(`return api.patients.get('p-b1');`), { tenantId: TENANT_A });

    expect(result).toMatchObject({
      ok: false,
      error: { code: 'NotFound', message: 'patient p-b1 not found' },
    });
  });

  it("never lets one tenant's run see state another tenant's run left behind", async () => {
    const plant = pluginWith(
      `globalThis.secret = 'tenant-a-secret'; Object.prototype.leak = 'a'; return 'planted';`,
    );
    const probe = pluginWith(`return { secret: typeof globalThis.secret, leak: typeof ({}).leak };`);

    await run(plant, { tenantId: TENANT_A, host: recordingHost(TENANT_A), pluginId: 'shared-plugin' });
    const result = await run(probe, {
      tenantId: TENANT_B,
      host: recordingHost(TENANT_B),
      pluginId: 'shared-plugin',
    });

    expect(result).toMatchObject({ ok: true, value: { secret: 'undefined', leak: 'undefined' } });
    await expectHealthy(run);
  });
});
