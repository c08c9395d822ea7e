import { afterAll, describe, expect, it } from 'vitest';
import { pluginWith } from '../support/sandbox/recording-host.ts';
import { createTestSandbox } from '../support/sandbox/sandbox-harness.ts';

const { sandbox, run, securityEvents } = createTestSandbox();
afterAll(() => sandbox.dispose());

describe('reserved event names', () => {
  const RESERVED: [string, string][] = [
    ['plugin:installed', 'plugin:'],
    ['security:alert', 'security:'],
    ['audit:record', 'audit:'],
    ['plugin:resource:exceeded', 'plugin:'],
    ['appointment:cancelled', 'appointment:'],
    ['patient:updated', 'patient:'],
    ['plugin-event:another-plugin:ping', 'plugin-event:'],
  ];
  for (const [name, namespace] of RESERVED) {
    it(`refuses to emit ${name}, audits its namespace, and never returns it`, async () => {
      const code = pluginWith(`
        try { await api.events.emit('${name}', { forged: true }); } catch (error) { return error.code; }`);

      const result = await run(code);

      expect(result).toMatchObject({ ok: true, value: 'PermissionDenied', events: [] });
      expect(securityEvents).toContainEqual(
        expect.objectContaining({
          type: 'reserved-event-name',
          namespace,
          operation: 'events.emit',
          count: 1,
        }),
      );
    });
  }

  it('refuses a platform name even from a plugin whose id is that namespace', async () => {
    const code = pluginWith(`
      const codes = [];
      for (const name of ['appointment:cancelled', 'cancelled']) {
        try { await api.events.emit(name, {}); codes.push('ok'); } catch (error) { codes.push(error.code); }
      }
      return codes;`);

    const result = await run(code, { pluginId: 'appointment' });

    expect(result).toMatchObject({
      ok: true,
      value: ['PermissionDenied', 'ok'],
      events: [{ name: 'plugin-event:appointment:cancelled', data: {} }],
    });
  });

  it('namespaces emitted events by plugin id and delivers them to handlers in the same run', async () => {
    const code = pluginWith(`
      const received = [];
      api.events.on('reminder', (data) => received.push(data.n));
      await api.events.emit('reminder', { n: 1 });
      await api.events.emit('test-plugin:reminder', { n: 2 });
      return received;`);

    const result = await run(code);

    expect(result).toMatchObject({
      ok: true,
      value: [1, 2],
      events: [
        { name: 'plugin-event:test-plugin:reminder', data: { n: 1 } },
        { name: 'plugin-event:test-plugin:reminder', data: { n: 2 } },
      ],
    });
  });

  it('rejects event names outside the allowed characters with InvalidArgument', async () => {
    const code = pluginWith(
      `try { await api.events.emit('bad name\\n', {}); } catch (error) { return error.code; }`,
    );

    const result = await run(code);

    expect(result).toMatchObject({ ok: true, value: 'InvalidArgument', events: [] });
  });
});
