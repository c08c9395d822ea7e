import type { CrashKind } from '../../sandbox/classify-crash.ts';
import { ChildProcessSupervisor } from '../../sandbox/supervised/child-process-supervisor.ts';
import type { WorkerMessage, WorkerRequest } from './execution-worker-protocol.ts';

type WorkerResult = WorkerMessage & { type: 'result' };
export type WorkerOutcome = WorkerResult | { readonly crashed: CrashKind };

export interface SupervisedExecutionWorkerOptions {
  readonly workerPath: string;
  readonly guardMs: number;
  readonly env: NodeJS.ProcessEnv;
}

/**
 * One execution child process (a stand-in for one Lambda instance: one request at a time), under
 * the same Node with --no-node-snapshot. When the child dies mid-request (a V8 out-of-memory
 * abort), that request is answered MemoryLimitExceeded or SandboxCrashed; one that stops answering
 * is killed by a wall-clock guard and answered TimeoutExceeded. The next request starts a fresh
 * child, so a crash or a kill costs exactly the one request that caused it.
 */
export class SupervisedExecutionWorker {
  readonly #supervisor: ChildProcessSupervisor<WorkerRequest, WorkerMessage, WorkerResult>;
  readonly #guardMs: number;
  #isBusy = false;

  constructor(options: SupervisedExecutionWorkerOptions) {
    this.#guardMs = options.guardMs;
    this.#supervisor = new ChildProcessSupervisor({
      modulePath: options.workerPath,
      env: options.env,
      // Its logs are the local platform's own, as an execution Lambda's go to CloudWatch.
      stdout: 'inherit',
      isStderrShown: true,
      // The platform's own handler code speaks here; plugins run in isolates inside it, out of reach.
      parse: (raw) => raw as WorkerMessage,
      isReady: (message) => message.type === 'ready',
      replyOf: (message) =>
        message.type === 'result' ? { requestId: String(message.id), reply: message } : undefined,
    });
  }

  get isBusy(): boolean {
    return this.#isBusy;
  }

  /** Started (or starting) and not known dead: the next request skips the cold start. */
  get isStarted(): boolean {
    return this.#supervisor.isStarted;
  }

  get pid(): number | undefined {
    return this.#supervisor.pid;
  }

  /** Starts the child ahead of need, so a request arriving while the others are busy finds it warm. */
  warm(): void {
    this.#supervisor.warm();
  }

  async execute(request: WorkerRequest): Promise<WorkerOutcome> {
    if (this.#isBusy) throw new Error('the execution worker is busy');
    this.#isBusy = true;
    try {
      const outcome = await this.#supervisor.request(String(request.id), request, { guardMs: this.#guardMs });
      return 'reply' in outcome ? outcome.reply : outcome;
    } finally {
      this.#isBusy = false;
    }
  }

  /** Ends the child; a request in flight is answered SandboxCrashed, as when it dies. */
  stop(): Promise<void> {
    return this.#supervisor.stop();
  }
}
