import { afterAll, describe, expect, it } from 'vitest';
import { pluginWith, recordingHost } from '../support/sandbox/recording-host.ts';
import { createTestSandbox, expectHealthy } from '../support/sandbox/sandbox-harness.ts';

const { sandbox, run } = createTestSandbox();
afterAll(() => sandbox.dispose());

describe('prototype pollution through the bridge', () => {
  it('never lets a __proto__ key in api arguments reach a prototype on the host', async () => {
    const host = recordingHost();
    const code = pluginWith(`
      const data = JSON.parse('{"family":"Safe","__proto__":{"polluted":true,"isAdmin":true}}');
      // The host's schema refuses the unknown key, as the platform does; what matters is what the host got.
      try { return await api.patients.update('p-a1', data); } catch (error) { return error.code; }`);

    const result = await run(code, { host });

    expect(result.ok).toBe(true);
    const data = host.calls[0]?.args[1] as Record<string, unknown>;
    expect(Object.getPrototypeOf(data)).toBe(Object.prototype);
    expect(data.polluted).toBeUndefined();
    expect(data.isAdmin).toBeUndefined();
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
    expect(Object.prototype).not.toHaveProperty('isAdmin');
  });

  it('leaves host prototypes alone when the plugin pollutes its own', async () => {
    const code = pluginWith(`
      Object.prototype.polluted = 'yes';
      Array.prototype.push = () => { throw new Error('hijacked'); };
      JSON.stringify = () => '"forged"';
      const patient = await api.patients.get('p-a1');
      return { id: patient.id };`);

    const result = await run(code);

    expect(result).toMatchObject({ ok: true, value: { id: 'p-a1' } });
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
    expect([1].push(2)).toBe(2);
    await expectHealthy(run);
  });

  it('gives the plugin a copy of host data, so mutating it changes nothing on the host', async () => {
    const host = recordingHost();
    const code = pluginWith(`
      const patient = await api.patients.get('p-a1');
      patient.name = 'Mutated In Plugin';
      Object.setPrototypeOf(patient, { injected: true });
      return api.patients.get('p-a1');`);

    const result = await run(code, { host });

    expect(result).toMatchObject({ ok: true, value: { id: 'p-a1', name: 'Ada Example' } });
  });

  it('rejects constructor.prototype smuggling in search criteria with InvalidArgument', async () => {
    const code = pluginWith(`
      try { await api.patients.search({ constructor: { prototype: { polluted: true } } }); return 'accepted'; }
      catch (error) { return error.code; }`);

    const result = await run(code);

    expect(result).toMatchObject({ ok: true, value: 'InvalidArgument' });
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
  });
});
