import type { LookupAddress } from 'node:dns';
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

  /**
   * The same addresses written as IPv6: IPv4-compatible, IPv4-mapped (dotted and hex), NAT64 and
   * 6to4 forms all lead to the IPv4 host they embed. A URL literal is judged before connecting.
   */
  const EMBEDDED_PRIVATE = [
    '::7f00:1',
    '::127.0.0.1',
    '::ffff:127.0.0.1',
    '::ffff:7f00:1',
    '0:0:0:0:0:FFFF:7F00:0001',
    '::ffff:10.0.0.1',
    '::ffff:169.254.169.254',
    '::ffff:a9fe:a9fe',
    '::ffff:0:a9fe:a9fe',
    '64:ff9b::a9fe:a9fe',
    '64:ff9b::169.254.169.254',
    '2002:a9fe:a9fe::',
    '2002:7f00:1::1',
  ];

  it.each(EMBEDDED_PRIVATE)('refuses the URL literal [%s] before connecting', async (address) => {
    const url = `https://[${address}]/latest/meta-data/`;

    await expect(fetch(url, { method: 'GET', headers: {} })).rejects.toMatchObject({
      code: 'PermissionDenied',
      message: 'that address is not reachable from plugins',
    });
  });

  it.each(EMBEDDED_PRIVATE)(
    'refuses a granted host whose DNS answer is %s, and the host stays healthy',
    async (address) => {
      const hostileDns = ((_hostname: string, _options: unknown, callback: (...args: unknown[]) => void) =>
        callback(null, [{ address, family: 6 } satisfies LookupAddress])) as never;
      const rebinding = createGuardedFetch({ maxResponseBytes: 1024, timeoutMs: 2_000, resolve: hostileDns });
      const code = `export default { async execute(input, api) {
        try { await api.http.fetch('https://api.partner.example/'); return 'reached'; } catch (error) { return error.code; }
      } };`;

      const result = await sandbox.run({
        code,
        input: null,
        grants: ['network:api.partner.example'],
        tenantId: 't-acme',
        host: { ...host, fetch: rebinding },
      });

      expect(result).toMatchObject({ ok: true, value: 'PermissionDenied' });
      expect(JSON.stringify(result)).not.toContain(address);
    },
  );
});
