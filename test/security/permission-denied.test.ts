import { afterAll, describe, expect, it } from 'vitest';
import { pluginWith, recordingHost } from '../support/sandbox/recording-host.ts';
import { createTestSandbox, expectHealthy } from '../support/sandbox/sandbox-harness.ts';

const { sandbox, run, securityEvents } = createTestSandbox();
afterAll(() => sandbox.dispose());

const CALLS: [string, string, string][] = [
  ['patients.search', `api.patients.search({ name: 'Ada' })`, 'read:patients'],
  ['patients.get', `api.patients.get('p-a1')`, 'read:patients'],
  ['patients.update', `api.patients.update('p-a1', { name: 'X' })`, 'write:patients'],
  [
    'appointments.schedule',
    `api.appointments.schedule({ patientId: 'p-a1', start: '2026-03-01T10:00:00Z', end: '2026-03-01T10:30:00Z' })`,
    'write:appointments',
  ],
  ['appointments.cancel', `api.appointments.cancel('a-a1', 'no show')`, 'write:appointments'],
  [
    'appointments.reschedule',
    `api.appointments.reschedule('a-a1', new Date('2026-03-02T10:00:00Z'))`,
    'write:appointments',
  ],
];

describe('permission checks', () => {
  for (const [operation, call, permission] of CALLS) {
    it(`denies ${operation} without ${permission}, audits it, and never calls the host`, async () => {
      const host = recordingHost();
      const grants = ['read:patients', 'write:patients', 'read:appointments', 'write:appointments'].filter(
        (grant) => grant !== permission,
      );

      const result = await run(pluginWith(`return ${call};`), { host, grants });

      expect(result).toMatchObject({ ok: false, error: { code: 'PermissionDenied' } });
      expect(host.calls).toEqual([]);
      expect(securityEvents).toContainEqual({
        type: 'permission-denied',
        tenantId: 't-clinic-a',
        pluginId: 'test-plugin',
        version: '1.0.0',
        operation,
        permission,
        count: 1,
        firstAt: expect.any(String),
        lastAt: expect.any(String),
      });
    });
  }

  it('throws PermissionDenied inside the plugin, where it can be caught', async () => {
    const code = pluginWith(`
      try { await api.patients.get('p-a1'); } catch (error) { return { name: error.name, code: error.code, isError: error instanceof Error }; }`);

    const result = await run(code, { grants: [] });

    expect(result).toMatchObject({
      ok: true,
      value: { name: 'PermissionDenied', code: 'PermissionDenied', isError: true },
    });
    await expectHealthy(run);
  });

  it('allows fetch only to hosts granted as network:<host>, wildcards included', async () => {
    const host = recordingHost('t-clinic-a', {
      fetch: async (url) => ({
        status: 200,
        headers: { 'content-type': 'text/plain' },
        body: `fetched ${new URL(url).host}`,
      }),
    });
    const code = pluginWith(`
      const outcome = async (url) => { try { return (await api.http.fetch(url)).body; } catch (error) { return error.code; } };
      return [
        await outcome('https://api.allowed.example/v1'),
        await outcome('https://eu.wild.example/x'),
        await outcome('https://evil.example/steal'),
        await outcome('https://api.allowed.example.evil.example/'),
        await outcome('http://169.254.169.254/latest/meta-data'),
        await outcome('file:///etc/passwd'),
        await outcome('https://user:pass@api.allowed.example/'),
      ];`);

    const result = await run(code, {
      host,
      grants: ['network:api.allowed.example', 'network:*.wild.example'],
    });

    expect(result).toMatchObject({
      ok: true,
      value: [
        'fetched api.allowed.example',
        'fetched eu.wild.example',
        'PermissionDenied',
        'PermissionDenied',
        'PermissionDenied',
        'PermissionDenied',
        'PermissionDenied',
      ],
    });
    expect(host.calls.map((call) => call.args[0])).toEqual([
      'https://api.allowed.example/v1',
      'https://eu.wild.example/x',
    ]);
    expect(result.usage.networkCalls).toBe(2);
  });

  it('rate limits data calls per minute with RateLimited and reports the overrun', async () => {
    const { sandbox: limited, run: runLimited, exceeded } = createTestSandbox();
    const code = pluginWith(`
      await api.patients.get('p-a1');
      await api.patients.get('p-a1');
      try { await api.patients.get('p-a1'); } catch (error) { return error.code; }`);

    const result = await runLimited(code, { limits: { databaseQueriesPerMinute: 2 } });

    expect(result).toMatchObject({ ok: true, value: 'RateLimited' });
    expect(exceeded).toContainEqual(
      expect.objectContaining({ resource: 'databaseQueries', limit: 2, observed: 3 }),
    );
    await limited.dispose();
  });

  it('refuses a Host header that would aim a granted request at another virtual host', async () => {
    const host = recordingHost('t-clinic-a', {
      fetch: async () => ({ status: 200, headers: {}, body: 'reached' }),
    });
    const code = pluginWith(`
      try { await api.http.fetch('https://api.allowed.example/', { headers: { Host: 'internal.admin' } }); return 'sent'; }
      catch (error) { return error.code; }`);

    const result = await run(code, { host, grants: ['network:api.allowed.example'] });

    expect(result).toMatchObject({ ok: true, value: 'InvalidArgument' });
    expect(host.calls).toEqual([]);
  });

  it('checks the grant before the arguments, so a call without it is denied and audited whatever it sent', async () => {
    const host = recordingHost();
    securityEvents.length = 0;
    const code = pluginWith(`
      const codes = [];
      for (const call of [
        () => api.patients.get({ not: 'an id' }),
        () => api.patients.update(42, 'x'.repeat(5000)),
        () => api.appointments.schedule('not an appointment'),
        () => api.http.fetch(42),
        () => api.http.fetch('https://api.allowed.example/', { method: 'TRACE' }),
      ]) {
        try { await call(); codes.push('called'); } catch (error) { codes.push(error.code); }
      }
      return codes;`);

    const result = await run(code, { host, grants: [] });

    expect(result).toMatchObject({ ok: true, value: Array(5).fill('PermissionDenied') });
    expect(host.calls).toEqual([]);
    expect(securityEvents.map((event) => event.operation).sort()).toEqual([
      'appointments.schedule',
      'http.fetch',
      'http.fetch',
      'patients.get',
      'patients.update',
    ]);
  });
});
