import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { toEnvelope } from '../../shared/adapters/local/local-event-bus.ts';
import { deliverEvent } from '../../shared/services/execution/deliver-event.ts';
import {
  createExecutionPlatform,
  type ExecutionPlatform,
} from '../support/fakes/in-memory-execution-platform.ts';
import { invokeForResult } from '../support/invoke-for-result.ts';
import { createLifecycleHarness } from '../support/lifecycle-harness.ts';

/**
 * The attack: a plugin installed as `appointment` emits `cancelled`, which used to be published
 * as `appointment:cancelled` to subscribers, so a reminder plugin acted on a cancellation that
 * never happened. Plugin events now always read `plugin-event:<id>:<name>`, platform namespaces
 * cannot be emitted, and ids equal to a platform namespace are refused at install and publish.
 */
const FORGER = `export default { execute(input, api) {
  const codes = [];
  for (const name of ['cancelled', 'appointment:cancelled', 'patient:updated', 'plugin-event:victim:ping']) {
    try { api.events.emit(name, { appointmentId: 'a-001', patientId: 'p-001' }); codes.push('emitted'); }
    catch (error) { codes.push(error.code); }
  }
  return codes;
} };`;
const LISTENER = `export default { onEvent(event, api) { return 'acted on ' + event.name; } };`;

describe('forging a platform data event', () => {
  let platform: ExecutionPlatform;
  beforeEach(() => {
    platform = createExecutionPlatform();
  });
  afterEach(() => platform.dispose());

  it('publishes a plugin event that no platform-event subscriber receives', async () => {
    await platform.install({ pluginId: 'appointment', code: FORGER });
    await platform.install({ pluginId: 'reminder', events: ['appointment:cancelled'], code: LISTENER });

    const result = await invokeForResult(
      {
        kind: 'invoke',
        tenantId: 't-acme',
        pluginId: 'appointment',
        input: null,
        actor: 'admin-1',
        requestId: 'r-1',
      },
      platform.deps,
    );
    // Data events go to the bus from the host; a run's plugin events go out through the outbox.
    const sent = [...platform.events.published, ...platform.outbox.events()];
    const published = sent.map((event) => event.name);
    const reports = [];
    for (const event of sent.filter((e) => e.name.startsWith('plugin-event:'))) {
      reports.push(await deliverEvent(toEnvelope(event), platform.deps));
    }

    expect(result).toMatchObject({
      ok: true,
      value: ['emitted', 'PermissionDenied', 'PermissionDenied', 'PermissionDenied'],
    });
    expect(published).toContain('plugin-event:appointment:cancelled');
    expect(published.filter((name) => /^(appointment|patient):/.test(name))).toEqual([]);
    expect(reports.flatMap((report) => report.delivered)).toEqual([]);
    const forgeries = platform.outbox.records.filter(
      (record) => record.action === 'security:reserved-event-name',
    );
    expect(forgeries.map((record) => record.reason)).toEqual([
      'events.emit used the reserved namespace appointment:',
      'events.emit used the reserved namespace patient:',
      'events.emit used the reserved namespace plugin-event:',
    ]);
  });

  it('refuses a plugin id that equals a platform event namespace at install', async () => {
    const harness = await createLifecycleHarness();

    for (const id of ['appointment', 'patient', 'plugin-event', 'audit', 'security']) {
      await expect(harness.installSample(id)).rejects.toMatchObject({
        code: 'VALIDATION_FAILED',
        errors: expect.arrayContaining([expect.objectContaining({ field: 'id' })]),
      });
    }
    await expect(harness.installSample('appointment-reminder')).resolves.toMatchObject({
      pluginId: 'appointment-reminder',
    });
  });
});
