import { createExecutionHandler } from '../../../functions/execution/dispatch.ts';
import { ipcEventPublisher, serveExecution } from '../../../shared/local-platform/execution-worker.ts';
import { createLogger } from '../../../shared/observability/logger.ts';
import { createExecutionPlatform } from './in-memory-execution-platform.ts';

/**
 * An execution worker over in-memory ports (the real dispatch, services and sandbox), for the
 * local invoker's crash tests. Plugin `abort` stands for a V8 abort and `hang` for a wedged
 * process: both are things a hostile plugin can cause but not on demand in a test.
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
await platform.install({
  pluginId: 'emitter',
  code: "export default { execute(i, api) { api.events.emit('ping', {}); } };",
});
const handler = createExecutionHandler({
  ...platform.deps,
  events: ipcEventPublisher,
  logger: createLogger('execution-test-worker'),
});

serveExecution(async (request) => {
  const pluginId = (request as { pluginId?: string }).pluginId;
  if (pluginId === 'abort') process.abort();
  if (pluginId === 'hang') return new Promise(() => {});
  return handler(request);
});
