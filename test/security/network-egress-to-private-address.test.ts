import { afterAll, describe, expect, it } from 'vitest';
import { createGuardedFetch } from '../../shared/adapters/egress/guarded-fetch.ts';
import { PluginSandbox } from '../../shared/sandbox/plugin-sandbox.ts';

/**
 * Attack: a plugin granted a network permission for an address inside the platform's network
 * (the instance metadata service, loopback) tries to use it. The grant admits the host, the egress
 * guard still refuses the address, the plugin sees PermissionDenied, and the host stays healthy.
 */
describe('security: plugins cannot reach private or metadata addresses', () => {
  const sandbox = new PluginSandbox();
  const fetch = createGuardedFetch({ maxResponseBytes: 1024 * 1024, timeoutMs: 2_000 });
  const host = {
    patients: { search: async () => [], get: async () => null, update: async () => null },
    appointments: { schedule: async () => ({}), cancel: async () => null, reschedule: async () => null },
    fetch,
  };

  afterAll(() => sandbox.dispose());

  it.each([
    ['169.254.169.254', 'https://169.254.169.254/latest/meta-data/iam/security-credentials/'],
    ['127.0.0.1', 'https://127.0.0.1/admin'],
  ])('refuses %s even with a grant for it', async (address, url) => {
    const code = `export default { async execute(input, api) {
      try { await api.http.fetch(${JSON.stringify(url)}); return 'reached'; } catch (error) { return error.code; }
    } };`;

    const result = await sandbox.run({
      code,
      input: null,
      grants: [`network:${address}`],
      tenantId: 't-acme',
      host,
    });
    const next = await sandbox.run({
      code: 'export default { execute: () => 1 };',
      input: null,
      grants: [],
      tenantId: 't-acme',
      host,
    });

    expect(result).toMatchObject({ ok: true, value: 'PermissionDenied' });
    expect(next).toMatchObject({ ok: true, value: 1 });
  });
});
