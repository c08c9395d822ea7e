import type {
  EventsAck,
  WorkerMessage,
  WorkerRequest,
} from '../../shared/adapters/local/execution-worker-protocol.ts';
import type { EventPublisher } from '../../shared/ports/event-publisher.ts';

type Handler = (event: unknown) => Promise<unknown>;

function send(message: WorkerMessage): Promise<void> {
  return new Promise((resolve, reject) => {
    if (!process.send) return reject(new Error('the execution worker needs an IPC channel'));
    process.send(message, undefined, undefined, (error) => (error ? reject(error) : resolve()));
  });
}

let publishSequence = 0;
const unacknowledged = new Map<number, { resolve(): void; reject(error: Error): void }>();

/**
 * The worker's event publisher: events go to the local platform's bus, which routes them, and the
 * publish settles when the bus has taken them (or failed to), as PutEvents would.
 */
export const ipcEventPublisher: EventPublisher = {
  publish: (events) =>
    new Promise<void>((resolve, reject) => {
      const id = ++publishSequence;
      unacknowledged.set(id, { resolve, reject });
      send({ type: 'events', id, events }).catch((error: Error) => {
        unacknowledged.delete(id);
        reject(error);
      });
    }),
};

function acknowledge(ack: EventsAck): void {
  const waiting = unacknowledged.get(ack.id);
  if (!waiting) return;
  unacknowledged.delete(ack.id);
  if (ack.ok) waiting.resolve();
  else
    waiting.reject(
      Object.assign(new Error('the platform bus did not take the events'), { name: ack.errorName }),
    );
}

/**
 * Serves requests one at a time, like one Lambda instance. A request that kills the process (a V8
 * abort from a memory bomb) is answered by the parent, which sees the exit.
 */
export function serveExecution(handler: Handler): void {
  let queue = Promise.resolve();
  process.on('message', (message: WorkerRequest | EventsAck) => {
    if ('type' in message) return acknowledge(message);
    const request = message;
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
  serveExecution(
    createExecutionFunctionHandler(loadExecutionConfig(process.env), { events: ipcEventPublisher }),
  );
}
