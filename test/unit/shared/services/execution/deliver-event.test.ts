import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { PLATFORM_EVENT_SOURCE } from '../../../../../shared/domain/platform-events.ts';
import { deliverEvent, EventDeliveryError } from '../../../../../shared/services/execution/deliver-event.ts';
import {
  createExecutionPlatform,
  type ExecutionPlatform,
} from '../../../../support/fakes/in-memory-execution-platform.ts';

const RECORD_EVENT =
  'export default { async onEvent(event, api) { await api.storage.set("seen:" + event.id, true); return event.name; } };';

function envelope(detailType: string, detail: Record<string, unknown>, id = 'evt-1') {
  return {
    version: '0',
    id: `envelope-${id}`,
    source: PLATFORM_EVENT_SOURCE,
    'detail-type': detailType,
    time: '2030-01-01T09:00:00.000Z',
    account: '000000000000',
    region: 'local',
    resources: [],
    detail: { id, tenantId: 't-acme', ...detail },
  };
}

describe('deliverEvent', () => {
  let platform: ExecutionPlatform;

  beforeEach(() => {
    platform = createExecutionPlatform();
  });

  afterEach(() => platform.dispose());

  it("runs onEvent of the tenant's enabled subscribers only, with ids-only data", async () => {
    await platform.install({ pluginId: 'subscriber', events: ['appointment:scheduled'], code: RECORD_EVENT });
    await platform.install({
      pluginId: 'disabled',
      state: 'disabled',
      events: ['appointment:scheduled'],
      code: RECORD_EVENT,
    });
    await platform.install({ pluginId: 'unsubscribed', events: ['patient:updated'], code: RECORD_EVENT });
    await platform.install({
      tenantId: 't-globex',
      pluginId: 'other-tenant',
      events: ['appointment:scheduled'],
      code: RECORD_EVENT,
    });

    const report = await deliverEvent(
      envelope('appointment:scheduled', { appointmentId: 'a-1', patientId: 'p-1' }),
      platform.deps,
    );

    expect(report).toMatchObject({ eventId: 'evt-1', delivered: ['subscriber'], failed: [] });
    expect(platform.usage.records.map((record) => [record.tenantId, record.pluginId])).toEqual([
      ['t-acme', 'subscriber'],
    ]);
  });

  it('hands the plugin { id, name, time, tenantId, data }', async () => {
    await platform.install({
      pluginId: 'echo',
      events: ['appointment:cancelled'],
      code: "export default { onEvent(event, api) { api.events.emit('seen', event); } };",
    });

    await deliverEvent(
      envelope('appointment:cancelled', { appointmentId: 'a-9', patientId: 'p-9' }),
      platform.deps,
    );

    expect(platform.outbox.events('plugin-event:echo:seen')[0]?.detail.data).toEqual({
      id: 'evt-1',
      name: 'appointment:cancelled',
      time: '2030-01-01T09:00:00.000Z',
      tenantId: 't-acme',
      data: { appointmentId: 'a-9', patientId: 'p-9' },
    });
  });

  it('runs each plugin once per event id when the event is delivered again', async () => {
    await platform.install({ pluginId: 'once', events: ['patient:updated'], code: RECORD_EVENT });

    await deliverEvent(envelope('patient:updated', { patientId: 'p-1' }), platform.deps);
    const again = await deliverEvent(envelope('patient:updated', { patientId: 'p-1' }), platform.deps);

    expect(again).toMatchObject({ delivered: [], skipped: ['once'] });
    expect(platform.usage.records).toHaveLength(1);
  });

  it('throws for a failing handler so the bus retries, and a retry reruns only the failing plugin', async () => {
    await platform.install({ pluginId: 'good', events: ['patient:updated'], code: RECORD_EVENT });
    await platform.install({
      pluginId: 'flaky',
      events: ['patient:updated'],
      code: "export default { async onEvent(event, api) { if (!(await api.storage.get('ready'))) { await api.storage.set('ready', true); throw new Error('not yet'); } } };",
    });

    const first = deliverEvent(envelope('patient:updated', { patientId: 'p-1' }), platform.deps);
    await expect(first).rejects.toBeInstanceOf(EventDeliveryError);
    const retry = await deliverEvent(envelope('patient:updated', { patientId: 'p-1' }), platform.deps);

    expect(retry).toMatchObject({ delivered: ['flaky'], skipped: ['good'], failed: [] });
  });

  it('does not retry refusals: a revoked version is audited and the event is settled', async () => {
    await platform.install({ pluginId: 'revoked', events: ['patient:updated'], code: RECORD_EVENT });
    const release = platform.releases.releases.get('revoked@1.0.0');
    if (release) platform.releases.put({ ...release, status: 'revoked' });

    const report = await deliverEvent(envelope('patient:updated', { patientId: 'p-1' }), platform.deps);

    expect(report).toMatchObject({ delivered: ['revoked'], failed: [] });
    expect(platform.usage.records).toHaveLength(0);
    expect(platform.outbox.records).toContainEqual(
      expect.objectContaining({ action: 'security:revoked-version-refused' }),
    );
  });

  it('delivers plugin events to other subscribers but never back to the plugin that emitted them', async () => {
    await platform.install({
      pluginId: 'listener',
      events: ['plugin-event:emitter:ping'],
      code: RECORD_EVENT,
    });
    await platform.install({
      pluginId: 'emitter',
      events: ['plugin-event:emitter:ping'],
      code: RECORD_EVENT,
    });

    const report = await deliverEvent(
      envelope('plugin-event:emitter:ping', {
        pluginId: 'emitter',
        version: '1.0.0',
        name: 'plugin-event:emitter:ping',
        data: { n: 1 },
        depth: 1,
      }),
      platform.deps,
    );

    expect(report.delivered).toEqual(['listener']);
  });

  it('refuses a plugin event whose name is not namespaced by the plugin that claims it', async () => {
    await expect(
      deliverEvent(
        envelope('plugin-event:victim:ping', { pluginId: 'attacker', name: 'plugin-event:victim:ping' }),
        platform.deps,
      ),
    ).rejects.toThrow(/namespaced/);
  });

  it('stops event chains that are too deep', async () => {
    await platform.install({
      pluginId: 'listener',
      events: ['plugin-event:emitter:ping'],
      code: RECORD_EVENT,
    });

    const report = await deliverEvent(
      envelope('plugin-event:emitter:ping', {
        pluginId: 'emitter',
        name: 'plugin-event:emitter:ping',
        depth: 99,
      }),
      platform.deps,
    );

    expect(report.delivered).toEqual([]);
  });

  it('refuses envelopes that are not platform events', async () => {
    await expect(
      deliverEvent({ ...envelope('patient:updated', {}), source: 'evil' }, platform.deps),
    ).rejects.toThrow();
    await expect(deliverEvent({ nonsense: true }, platform.deps)).rejects.toThrow();
  });
});
