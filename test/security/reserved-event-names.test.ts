import { afterAll, describe, expect, it } from 'vitest';
import { pluginWith } from '../support/sandbox/recording-host.ts';
import { createTestSandbox } from '../support/sandbox/sandbox-harness.ts';

const { sandbox, run, securityEvents } = createTestSandbox();
afterAll(() => sandbox.dispose());

describe('reserved event names', () => {
  for (const name of ['plugin:installed', 'security:alert', 'audit:record', 'plugin:resource:exceeded']) {
    it(`refuses to emit ${name}, audits it, and never returns it`, async () => {
      const code = pluginWith(`
        try { await api.events.emit('${name}', { forged: true }); } catch (error) { return error.code; }`);

      const result = await run(code);

      expect(result).toMatchObject({ ok: true, value: 'PermissionDenied', events: [] });
      expect(securityEvents).toContainEqual(
        expect.objectContaining({ type: 'reserved-event-name', eventName: name, operation: 'events.emit' }),
      );
    });
  }

  it('refuses a plugin whose own id would namespace an event into a reserved prefix', async () => {
    const code = pluginWith(
      `try { await api.events.emit('entry', {}); } catch (error) { return error.code; }`,
    );

    const result = await run(code, { pluginId: 'audit' });

    expect(result).toMatchObject({ ok: true, value: 'PermissionDenied', events: [] });
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
        { name: 'test-plugin:reminder', data: { n: 1 } },
        { name: 'test-plugin:reminder', data: { n: 2 } },
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
