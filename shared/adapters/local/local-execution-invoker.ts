import {
  crashed,
  type DirectInvocation,
  type RunOutcome,
  RunOutcomeSchema,
} from '../../domain/invocation.ts';
import type { ExecutionInvoker } from '../../ports/execution-invoker.ts';
import type { WorkerRequest } from './execution-worker-protocol.ts';
import { FairDispatchQueue } from './fair-dispatch-queue.ts';
import { SupervisedExecutionWorker, type WorkerOutcome } from './supervised-execution-worker.ts';

/** Above the execution function's own timeout (3 × the 5 s plugin limit), as Lambda's would be. */
const DEFAULT_GUARD_MS = 20_000;
/**
 * Three workers by default: each is a Node process with isolated-vm and the execution wiring
 * (about 140 MB RSS once it has run a plugin: 137–152 MB measured on Node 24 here), started on the first
 * execution and kept: about 430 MB for the pool.
 */
export const DEFAULT_LOCAL_EXECUTION_WORKERS = 3;

interface Job {
  readonly request: WorkerRequest;
  resolve(outcome: WorkerOutcome): void;
}

/**
 * The local stand-in for invoking the execution Lambda: a small pool of supervised worker
 * processes (each one request at a time, like a Lambda instance), serving direct invokes and event
 * deliveries of every tenant. Work waits in a queue per tenant and is dispatched round-robin, with
 * each tenant limited to pool size − 1 workers: a tenant flooding the pool with runs that hang
 * until their timeout always leaves a worker to the others, who then wait for none of its runs.
 * A worker that crashes or is killed by its wall-clock guard answers only the run it was executing
 * (`MemoryLimitExceeded`, `SandboxCrashed`, `TimeoutExceeded`) and is replaced on its next run;
 * the tenant's queued runs carry on on the other workers. Nothing a plugin does can hang the server.
 * All workers start on the first execution and stay started, so no run waits for a cold start
 * behind another tenant's flood.
 */
export class LocalExecutionInvoker implements ExecutionInvoker {
  private readonly workers: SupervisedExecutionWorker[];
  private readonly queue: FairDispatchQueue<Job>;
  private sequence = 0;
  private isStopped = false;

  constructor(options: {
    /** The worker's entry point: the application that runs the execution function provides it. */
    workerPath: string;
    guardMs?: number;
    env?: NodeJS.ProcessEnv;
    /** Pool size (default 3); one tenant may occupy at most this − 1 workers (at least 1). */
    workers?: number;
  }) {
    const size = options.workers ?? DEFAULT_LOCAL_EXECUTION_WORKERS;
    if (!Number.isInteger(size) || size < 1) throw new Error('workers must be a positive integer');
    this.workers = Array.from(
      { length: size },
      () =>
        new SupervisedExecutionWorker({
          workerPath: options.workerPath,
          guardMs: options.guardMs ?? DEFAULT_GUARD_MS,
          env: options.env ?? process.env,
        }),
    );
    this.queue = new FairDispatchQueue(Math.max(1, size - 1));
  }

  /** Process ids of the workers executing a run now (tests kill one to prove only its run fails). */
  get busyWorkerPids(): number[] {
    return this.workers.flatMap((worker) => (worker.isBusy && worker.pid !== undefined ? [worker.pid] : []));
  }

  async invoke(invocation: DirectInvocation): Promise<RunOutcome> {
    const outcome = await this.run(invocation.tenantId, 'invoke', invocation);
    if ('crashed' in outcome) return crashed(outcome.crashed);
    if (!outcome.ok) return crashed('SandboxCrashed');
    const parsed = RunOutcomeSchema.safeParse(outcome.value);
    return parsed.success ? parsed.data : crashed('SandboxCrashed');
  }

  /** An EventBridge envelope for the execution function; rejects so the local bus retries it. */
  async deliver(envelope: unknown): Promise<void> {
    const outcome = await this.run(tenantOfEnvelope(envelope), 'deliver', envelope);
    if ('crashed' in outcome) throw new Error(`execution worker failed (${outcome.crashed})`);
    if (!outcome.ok) throw new Error(`event delivery failed (${outcome.errorName})`);
  }

  async stop(): Promise<void> {
    this.isStopped = true;
    for (const job of this.queue.drain()) job.resolve({ crashed: 'SandboxCrashed' });
    await Promise.all(this.workers.map((worker) => worker.stop()));
    this.isStopped = false;
  }

  private run(tenantKey: string, kind: WorkerRequest['kind'], payload: unknown): Promise<WorkerOutcome> {
    if (this.isStopped) return Promise.resolve({ crashed: 'SandboxCrashed' });
    return new Promise<WorkerOutcome>((resolve) => {
      this.queue.enqueue(tenantKey, { request: { id: ++this.sequence, kind, payload }, resolve });
      this.dispatch();
    });
  }

  private dispatch(): void {
    for (;;) {
      const worker = this.idleWorker();
      if (!worker) return;
      const next = this.queue.take();
      if (!next) return;
      void worker.execute(next.item.request).then((outcome) => {
        this.queue.done(next.key);
        next.item.resolve(outcome);
        this.keepWarm();
        this.dispatch();
      });
      this.keepWarm();
    }
  }

  /** A started idle worker first: a cold start is paid only when no warm worker is free. */
  private idleWorker(): SupervisedExecutionWorker | undefined {
    const idle = this.workers.filter((worker) => !worker.isBusy);
    return idle.find((worker) => worker.isStarted) ?? idle[0];
  }

  /**
   * Once used, every worker of the pool is kept started (a crashed or killed one is replaced at
   * once): a cold start takes seconds here, and the worker another tenant finds free while one
   * tenant holds pool size − 1 of them must not make it wait that long either.
   */
  private keepWarm(): void {
    if (this.isStopped) return;
    for (const worker of this.workers) if (!worker.isStarted) worker.warm();
  }
}

function tenantOfEnvelope(envelope: unknown): string {
  const tenantId = (envelope as { detail?: { tenantId?: unknown } } | null)?.detail?.tenantId;
  return typeof tenantId === 'string' ? tenantId : '';
}
