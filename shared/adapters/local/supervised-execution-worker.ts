import { type ChildProcess, fork } from 'node:child_process';
import type { PlatformEvent } from '../../domain/platform-events.ts';
import type { EventsAck, WorkerMessage, WorkerRequest } from './execution-worker-protocol.ts';

const OUT_OF_MEMORY = /heap out of memory|memory limit|allocation failed|OOM/i;
const STDERR_TAIL_CHARS = 4_096;

export type WorkerCrash = 'SandboxCrashed' | 'MemoryLimitExceeded' | 'TimeoutExceeded';
export type WorkerOutcome = (WorkerMessage & { type: 'result' }) | { readonly crashed: WorkerCrash };

export interface SupervisedExecutionWorkerOptions {
  readonly workerPath: string;
  readonly guardMs: number;
  readonly env: NodeJS.ProcessEnv;
  /** Hands a run's events to the bus; the worker's publish waits for this to settle. */
  readonly onEvents: (events: readonly PlatformEvent[]) => Promise<void>;
}

/**
 * One execution child process (a stand-in for one Lambda instance: one request at a time), under
 * the same Node with --no-node-snapshot. When the child dies mid-request (a V8 out-of-memory
 * abort), that request is answered MemoryLimitExceeded or SandboxCrashed; one that stops answering
 * is killed by a wall-clock guard and answered TimeoutExceeded. The next request starts a fresh
 * child, so a crash or a kill costs exactly the one request that caused it.
 */
export class SupervisedExecutionWorker {
  private readonly options: SupervisedExecutionWorkerOptions;
  private child: ChildProcess | undefined;
  private ready: Promise<ChildProcess> | undefined;
  private current: { readonly id: number; settle(outcome: WorkerOutcome): void } | undefined;
  /** The child the current request was sent to: only its death fails that request. */
  private sentTo: ChildProcess | undefined;

  constructor(options: SupervisedExecutionWorkerOptions) {
    this.options = options;
  }

  get isBusy(): boolean {
    return this.current !== undefined;
  }

  /** Started (or starting) and not known dead: the next request skips the cold start. */
  get isStarted(): boolean {
    return this.ready !== undefined;
  }

  get pid(): number | undefined {
    return this.child?.pid;
  }

  /** Starts the child ahead of need, so a request arriving while the others are busy finds it warm. */
  warm(): void {
    this.start().catch(() => undefined);
  }

  execute(request: WorkerRequest): Promise<WorkerOutcome> {
    if (this.current) return Promise.reject(new Error('the execution worker is busy'));
    return new Promise<WorkerOutcome>((resolve) => {
      const settle = (outcome: WorkerOutcome) => {
        if (this.current?.id !== request.id) return;
        clearTimeout(guard);
        this.current = undefined;
        resolve(outcome);
      };
      this.current = { id: request.id, settle };
      const guard = setTimeout(() => {
        settle({ crashed: 'TimeoutExceeded' });
        this.retire();
      }, this.options.guardMs);
      this.start()
        .then((child) => {
          if (this.current?.id !== request.id) return;
          this.sentTo = child;
          child.send(request, (error) => {
            if (error) settle({ crashed: 'SandboxCrashed' });
          });
        })
        .catch(() => settle({ crashed: 'SandboxCrashed' }));
    });
  }

  /** Kills the child; a request in flight is answered SandboxCrashed, as when it dies. */
  async stop(): Promise<void> {
    const child = this.child;
    if (child && child.exitCode === null && child.signalCode === null) {
      const exited = new Promise((resolve) => child.once('exit', resolve));
      child.kill('SIGKILL');
      await exited;
    }
    this.reset();
    this.current?.settle({ crashed: 'SandboxCrashed' });
  }

  /** Kills a wedged child; the next request starts a fresh one. */
  private retire(): void {
    const child = this.child;
    this.reset();
    child?.kill('SIGKILL');
  }

  private reset(): void {
    this.child = undefined;
    this.ready = undefined;
    this.sentTo = undefined;
  }

  /** Answers the worker's publish with whether the bus took the events, by error name only. */
  private forwardEvents(child: ChildProcess, id: number, events: readonly PlatformEvent[]): void {
    const answer = (ack: EventsAck) => {
      if (child.connected) child.send(ack);
    };
    this.options.onEvents(events).then(
      () => answer({ type: 'events-ack', id, ok: true }),
      (error: unknown) =>
        answer({
          type: 'events-ack',
          id,
          ok: false,
          errorName: error instanceof Error ? error.name : 'Error',
        }),
    );
  }

  private start(): Promise<ChildProcess> {
    if (this.ready) return this.ready;
    const child = fork(this.options.workerPath, [], {
      execArgv: ['--no-node-snapshot'],
      env: this.options.env,
      stdio: ['ignore', 'inherit', 'pipe', 'ipc'],
    });
    this.child = child;
    let stderrTail = '';
    child.stderr?.on('data', (chunk: Buffer) => {
      process.stderr.write(chunk);
      stderrTail = (stderrTail + chunk.toString('utf8')).slice(-STDERR_TAIL_CHARS);
    });
    const ready = new Promise<ChildProcess>((resolve, reject) => {
      child.on('message', (message: WorkerMessage) => {
        if (message.type === 'ready') resolve(child);
        else if (message.type === 'events') this.forwardEvents(child, message.id, message.events);
        else if (message.type === 'result' && this.current?.id === message.id && this.sentTo === child)
          this.current.settle(message);
      });
      child.once('exit', () => {
        reject(new Error('the execution worker exited'));
        const wasRunning = this.sentTo === child;
        if (this.child === child) this.reset();
        if (wasRunning)
          this.current?.settle({
            crashed: OUT_OF_MEMORY.test(stderrTail) ? 'MemoryLimitExceeded' : 'SandboxCrashed',
          });
      });
    });
    ready.catch(() => undefined);
    this.ready = ready;
    return ready;
  }
}
