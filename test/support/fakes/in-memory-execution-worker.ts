import { serveExecution } from '../../../apps/local-platform/execution-worker.ts';
import { createExecutionHandler } from '../../../functions/execution/dispatch.ts';
import { createLogger } from '../../../shared/observability/logger.ts';
import { createExecutionPlatform } from './in-memory-execution-platform.ts';

/**
 * An execution worker over in-memory ports (the real dispatch, services and sandbox), for the
 * local invoker's crash tests. Plugin `abort` stands for a V8 abort and `hang` for a wedged
 * process: both are things a hostile plugin can cause but not on demand in a test. Plugin
 * `outbox-probe` answers the names of the data events in this worker's outbox.
 */
const platform = createExecutionPlatform();
await platform.install({
  pluginId: 'fine',
  code: 'export default { execute(input) { return { echo: input }; } };',
});
await platform.install({
  tenantId: 't-globex',
  pluginId: 'fine',
  code: 'export default { execute(input) { return { echo: input }; } };',
});
await platform.install({
  pluginId: 'bomb',
  limits: { memoryMb: 16 },
  code: 'export default { execute() { const hoard = []; for (;;) hoard.push(new Array(1e6).fill(Math.random())); } };',
});
// The data event of an EHR write goes to the outbox, as every event a run causes does: nothing
// crosses to the platform's bus over IPC.
await platform.ehr.putPatient('t-acme' as never, {
  id: 'p-1',
  name: 'Test Patient',
  birthDate: '1980-01-01',
});
await platform.install({
  pluginId: 'emitter',
  permissions: ['write:patients'],
  code: "export default { async execute(i, api) { await api.patients.update('p-1', { gender: 'unknown' }); } };",
});
const handler = createExecutionHandler({
  ...platform.deps,
  logger: createLogger('execution-test-worker'),
});

serveExecution(async (request) => {
  const pluginId = (request as { pluginId?: string }).pluginId;
  if (pluginId === 'abort') process.abort();
  if (pluginId === 'hang') return new Promise(() => {});
  if (pluginId === 'outbox-probe') return outboxProbe();
  return handler(request);
});

function outboxProbe() {
  const value = { dataEvents: platform.outbox.events().map((event) => event.name) };
  const usage = { wallMs: 0, cpuMs: 0, peakHeapBytes: 0, dataCalls: 0, networkCalls: 0, storageBytes: 0 };
  return { kind: 'ran', result: { ok: true, value, usage, logs: [], events: [] } };
}
