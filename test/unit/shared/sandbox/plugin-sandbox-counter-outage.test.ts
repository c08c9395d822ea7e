import { afterAll, beforeEach, describe, expect, it } from 'vitest';
import { sandboxOverFlakyCounters } from '../../../support/sandbox/flaky-counters.ts';
import { pluginWith } from '../../../support/sandbox/recording-host.ts';
import { HEALTHY_PLUGIN } from '../../../support/sandbox/sandbox-harness.ts';

const { down, total, sandbox, run, internalErrors } = sandboxOverFlakyCounters();
afterAll(() => sandbox.dispose());

const HELD = {
  ok: false,
  error: { code: 'RateLimited', message: expect.stringContaining('earlier run of this plugin') },
};

describe('PluginSandbox when the counter store fails after a run', () => {
  beforeEach(() => {
    down.clear();
    internalErrors.length = 0;
  });

  it('holds the next run while a CPU settle is outstanding and runs again once the store answers', async () => {
    down.add('release');
    const first = await run(HEALTHY_PLUGIN, { pluginId: 'settle-fails' });
    down.add('consume');

    const held = await run(HEALTHY_PLUGIN, { pluginId: 'settle-fails' });
    down.clear();
    const recovered = await run(HEALTHY_PLUGIN, { pluginId: 'settle-fails' });

    expect(first).toMatchObject({ ok: true });
    expect(held).toMatchObject(HELD);
    expect(recovered).toMatchObject({ ok: true });
    expect(internalErrors.map((error) => error.operation)).toEqual(['cpu-settle', 'unsettled-retry']);
  });

  it('charges the denied calls it could not charge before the next run may start', async () => {
    down.add('consume:databaseQueries');
    const probe = pluginWith(`
      for (let i = 0; i < 5; i++) await api.patients.get('p-a1').catch(() => {});
      return 'probed';`);
    await run(probe, { pluginId: 'denials', grants: [] });

    const held = await run(HEALTHY_PLUGIN, { pluginId: 'denials' });
    down.clear();
    const recovered = await run(HEALTHY_PLUGIN, { pluginId: 'denials' });

    expect(held).toMatchObject(HELD);
    expect(recovered).toMatchObject({ ok: true });
    expect(total('t-clinic-a/denials/databaseQueries')).toBe(5);
  });

  it('holds the next run after a rate check failed mid-run', async () => {
    down.add('consume:databaseQueries');
    const reader = pluginWith(`return api.patients.get('p-a1').then(() => 'read', (error) => error.name);`);
    const first = await run(reader, { pluginId: 'rate-check' });
    down.add('consume');

    const held = await run(HEALTHY_PLUGIN, { pluginId: 'rate-check' });

    expect(first).toMatchObject({ ok: true, value: 'SandboxCrashed' });
    expect(held).toMatchObject(HELD);
    expect(internalErrors[0]).toMatchObject({ operation: 'rate-counter' });
  });

  it('holds only the tenant and plugin whose charge is outstanding', async () => {
    down.add('release');
    await run(HEALTHY_PLUGIN, { pluginId: 'outstanding' });
    down.clear();
    down.add('consume:cpuMs');

    const held = await run(HEALTHY_PLUGIN, { pluginId: 'outstanding' });
    const tenantB = await run(HEALTHY_PLUGIN, { pluginId: 'outstanding', tenantId: 't-clinic-b' });

    expect(held).toMatchObject(HELD);
    // The second tenant's CPU lease fails closed on its own: the store is down for it too.
    expect(tenantB).toMatchObject({ ok: false, error: { message: expect.stringContaining('CPU budget') } });
  });

  it('reports failures by error name only, never the store message', async () => {
    down.add('release');

    await run(HEALTHY_PLUGIN, { pluginId: 'named' });

    expect(internalErrors).toEqual([
      {
        operation: 'cpu-settle',
        errorName: 'CounterStoreDownError',
        tenantId: 't-clinic-a',
        pluginId: 'named',
      },
    ]);
    expect(JSON.stringify(internalErrors)).not.toContain('Ada Example');
  });
});
