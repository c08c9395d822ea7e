import { type ChildProcess, fork } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import {
  type DirectInvocation,
  failedInvocation,
  type InvocationResult,
  InvocationResultSchema,
} from '../../domain/invocation.ts';
import type { WorkerMessage, WorkerRequest } from '../../local-platform/execution-worker.ts';
import type { EventPublisher } from '../../ports/event-publisher.ts';
import type { ExecutionInvoker } from '../../ports/execution-invoker.ts';

const DEFAULT_WORKER = fileURLToPath(new URL('../../local-platform/execution-worker.ts', import.meta.url));
/** Above the execution function's own timeout (3 × the 5 s plugin limit), as Lambda's would be. */
const DEFAULT_GUARD_MS = 20_000;
const OUT_OF_MEMORY = /heap out of memory|memory limit|allocation failed|OOM/i;
const STDERR_TAIL_CHARS = 4_096;

interface Job {
  readonly request: WorkerRequest;
  settle(message: WorkerMessage & { type: 'result' }): void;
  crash(code: 'SandboxCrashed' | 'MemoryLimitExceeded' | 'TimeoutExceeded'): void;
}

/**
 * The local stand-in for invoking the execution Lambda: a supervised child process under the same
 * Node (with --no-node-snapshot and the same environment) that runs one request at a time. When
 * the child dies mid-request (a V8 out-of-memory abort), that request is answered
 * MemoryLimitExceeded or SandboxCrashed and the next request starts a fresh child; a child that
 * stops answering is killed by a wall-clock guard. Nothing a plugin does can hang the server.
 */
export class LocalExecutionInvoker implements ExecutionInvoker {
  private readonly workerPath: string;
  private readonly guardMs: number;
  private readonly events: EventPublisher;
  private readonly env: NodeJS.ProcessEnv;
  private child: ChildProcess | undefined;
  private ready: Promise<void> | undefined;
  private stderrTail = '';
  private current: Job | undefined;
  /** The child the current job was sent to: only its death fails that job. */
  private busyChild: ChildProcess | undefined;
  private queue: Promise<void> = Promise.resolve();
  private sequence = 0;

  constructor(options: {
    events: EventPublisher;
    workerPath?: string;
    guardMs?: number;
    env?: NodeJS.ProcessEnv;
  }) {
    this.events = options.events;
    this.workerPath = options.workerPath ?? DEFAULT_WORKER;
    this.guardMs = options.guardMs ?? DEFAULT_GUARD_MS;
    this.env = options.env ?? process.env;
  }

  async invoke(invocation: DirectInvocation): Promise<InvocationResult> {
    const outcome = await this.run('invoke', invocation);
    if ('crashed' in outcome) return failedRun(outcome.crashed);
    if (!outcome.ok) return failedRun('SandboxCrashed');
    const parsed = InvocationResultSchema.safeParse(outcome.value);
    return parsed.success ? parsed.data : failedRun('SandboxCrashed');
  }

  /** An EventBridge envelope for the execution function; rejects so the local bus retries it. */
  async deliver(envelope: unknown): Promise<void> {
    const outcome = await this.run('deliver', envelope);
    if ('crashed' in outcome) throw new Error(`execution worker failed (${outcome.crashed})`);
    if (!outcome.ok) throw new Error(`event delivery failed (${outcome.errorName})`);
  }

  async stop(): Promise<void> {
    const child = this.child;
    this.child = undefined;
    if (child && child.exitCode === null) {
      const exited = new Promise((resolve) => child.once('exit', resolve));
      child.kill('SIGKILL');
      await exited;
    }
  }

  private run(kind: WorkerRequest['kind'], payload: unknown) {
    type Outcome =
      | (WorkerMessage & { type: 'result' })
      | { crashed: 'SandboxCrashed' | 'MemoryLimitExceeded' | 'TimeoutExceeded' };
    return new Promise<Outcome>((resolve) => {
      this.queue = this.queue.then(
        () =>
          new Promise<void>((done) => {
            const finish = (outcome: Outcome) => {
              clearTimeout(guard);
              this.current = undefined;
              this.busyChild = undefined;
              resolve(outcome);
              done();
            };
            const job: Job = {
              request: { id: ++this.sequence, kind, payload },
              settle: finish,
              crash: (code) => finish({ crashed: code }),
            };
            const guard = setTimeout(() => {
              job.crash('TimeoutExceeded');
              this.retire();
            }, this.guardMs);
            this.current = job;
            this.start()
              .then(() => {
                this.busyChild = this.child;
                this.child?.send(job.request);
              })
              .catch(() => job.crash('SandboxCrashed'));
          }),
      );
    });
  }

  /** Kills a wedged child; the next request starts a fresh one. */
  private retire(): void {
    const child = this.child;
    this.child = undefined;
    this.ready = undefined;
    this.busyChild = undefined;
    child?.kill('SIGKILL');
  }

  private start(): Promise<void> {
    if (this.child && this.ready) return this.ready;
    this.stderrTail = '';
    const child = fork(this.workerPath, [], {
      execArgv: ['--no-node-snapshot'],
      env: this.env,
      stdio: ['ignore', 'inherit', 'pipe', 'ipc'],
    });
    this.child = child;
    child.stderr?.on('data', (chunk: Buffer) => {
      process.stderr.write(chunk);
      this.stderrTail = (this.stderrTail + chunk.toString('utf8')).slice(-STDERR_TAIL_CHARS);
    });
    this.ready = new Promise<void>((resolve, reject) => {
      child.on('message', (message: WorkerMessage) => {
        if (message.type === 'ready') resolve();
        else if (message.type === 'events') void this.events.publish(message.events).catch(() => undefined);
        else if (message.type === 'result' && this.current?.request.id === message.id)
          this.current.settle(message);
      });
      child.once('exit', () => {
        reject(new Error('the execution worker exited'));
        if (this.child === child) {
          this.child = undefined;
          this.ready = undefined;
        }
        if (this.busyChild === child) {
          this.busyChild = undefined;
          this.current?.crash(OUT_OF_MEMORY.test(this.stderrTail) ? 'MemoryLimitExceeded' : 'SandboxCrashed');
        }
      });
    });
    this.ready.catch(() => undefined);
    return this.ready;
  }
}

const MESSAGES = {
  SandboxCrashed: 'the execution environment failed while running the plugin',
  MemoryLimitExceeded: 'the plugin exhausted the memory of its execution environment',
  TimeoutExceeded: 'the execution environment stopped answering and was restarted',
} as const;

function failedRun(code: keyof typeof MESSAGES): InvocationResult {
  return failedInvocation(code, MESSAGES[code]);
}
