import type { WorkerMessage, WorkerRequest } from '../../shared/adapters/local/execution-worker-protocol.ts';

type Handler = (event: unknown) => Promise<unknown>;

function send(message: WorkerMessage): Promise<void> {
  return new Promise((resolve, reject) => {
    if (!process.send) return reject(new Error('the execution worker needs an IPC channel'));
    process.send(message, undefined, undefined, (error) => (error ? reject(error) : resolve()));
  });
}

/**
 * Serves requests one at a time, like one Lambda instance. A request that kills the process (a V8
 * abort from a memory bomb) is answered by the parent, which sees the exit. Everything a run
 * causes (its record, its events, its data events) goes to the outbox, whose stream delivers it to
 * the platform's bus, so only requests and results cross the IPC channel.
 */
export function serveExecution(handler: Handler): void {
  let queue = Promise.resolve();
  process.on('message', (request: WorkerRequest) => {
    queue = queue.then(async () => {
      try {
        await send({ type: 'result', id: request.id, ok: true, value: await handler(request.payload) });
      } catch (error) {
        // Only the error's name crosses: messages may name plugin ids, never more, but stay safe.
        await send({
          type: 'result',
          id: request.id,
          ok: false,
          errorName: (error as Error)?.name ?? 'Error',
        });
      }
    });
  });
  process.on('disconnect', () => process.exit(0));
  void send({ type: 'ready' });
}

if (import.meta.main) {
  const { loadExecutionConfig } = await import('../../functions/execution/config.ts');
  const { createExecutionFunctionHandler } = await import('../../functions/execution/wiring.ts');
  // The platform instance that started this worker gave it its settings as its environment.
  serveExecution(createExecutionFunctionHandler(loadExecutionConfig(process.env)));
}
