import { randomUUID } from 'node:crypto';
import { fileURLToPath } from 'node:url';
import { notify } from '../bridge.ts';
import { blamedRunOf } from '../catastrophic-abort.ts';
import { CRASH_MESSAGES } from '../classify-crash.ts';
import { HostError, isApiErrorCode, sanitizeHostMessage } from '../errors.ts';
import { isPluginHost, type PluginHost } from '../host.ts';
import { resolveLimits } from '../limits.ts';
import type { PluginSandboxOptions, RunRequest } from '../plugin-sandbox.ts';
import { failureResult } from '../run-outcome.ts';
import type { RunResult } from '../schemas.ts';
import { errorNameOf, UNSETTLED_RUN_MESSAGE, UnsettledCharges } from '../unsettled-charges.ts';
import { InMemoryUsageCounters, type UsageCounters } from '../usage-counters.ts';
import { ChildProcessSupervisor, type SupervisedChild } from './child-process-supervisor.ts';
import {
  type HostMethod,
  type SupervisorMessage,
  type WorkerMessage,
  WorkerMessageSchema,
} from './protocol.ts';

/** How long past a run's own timeout the supervisor waits before it kills a stuck worker. */
const STUCK_WORKER_GRACE_MS = 2_000;

export interface SupervisedSandboxOptions
  extends Pick<
    PluginSandboxOptions,
    'counters' | 'onSecurityEvent' | 'onResourceExceeded' | 'onInternalError'
  > {
  /** The worker entry; defaults to the one beside this module (source or built). */
  readonly workerPath?: string;
  /** Extra Node flags for the worker; `--no-node-snapshot` is always passed (isolated-vm needs it). */
  readonly execArgv?: readonly string[];
}

type Worker = SupervisedChild<SupervisorMessage>;
type RunLimits = { timeoutMs: number; memoryMb: number };

/**
 * The same `run`/`dispose` API as `PluginSandbox`, with the isolates in a child process: V8 can
 * abort a whole process when hostile code overshoots an isolate's heap, so plugins never share a
 * process with anything that must survive them. A worker death answers the run that caused it
 * with `MemoryLimitExceeded` (or `SandboxCrashed`), every other run in flight with
 * `SandboxCrashed`, and the next run starts a new worker. A run with no answer past its timeout
 * has its worker killed and answers `TimeoutExceeded`. No run ever waits forever.
 */
export class SupervisedSandbox {
  readonly #options: SupervisedSandboxOptions;
  readonly #counters: UsageCounters;
  readonly #supervisor: ChildProcessSupervisor<SupervisorMessage, WorkerMessage, RunResult>;
  /** The host of each run in flight; the worker only reaches it while the run is its own. */
  readonly #hosts = new Map<string, PluginHost>();
  readonly #unsettled = new UnsettledCharges();
  #isDisposed = false;

  constructor(options: SupervisedSandboxOptions = {}) {
    this.#options = options;
    // Counters live here, not in the worker, so a restarted worker does not reset any limit.
    this.#counters = options.counters ?? new InMemoryUsageCounters();
    this.#supervisor = new ChildProcessSupervisor({
      modulePath: options.workerPath ?? defaultWorkerPath(),
      ...(options.execArgv ? { execArgv: options.execArgv } : {}),
      parse: (raw) => {
        const parsed = WorkerMessageSchema.safeParse(raw);
        return parsed.success ? parsed.data : undefined;
      },
      isReady: (message) => message.type === 'ready',
      replyOf: (message) =>
        message.type === 'result'
          ? { requestId: message.runId, reply: message.result as RunResult }
          : undefined,
      onMessage: (message, from) => this.#onMessage(from, message),
      // Runs are multiplexed on one worker: the one a heap abort names is the one that caused it.
      blame: blamedRunOf,
    });
  }

  run(request: RunRequest): Promise<RunResult> {
    const startedAt = performance.now();
    if (this.#isDisposed)
      return Promise.resolve(failureResult('SandboxCrashed', 'the sandbox has been disposed', startedAt));
    const { host, runId: _ignored, ...data } = request;
    let limits: RunLimits;
    try {
      const { timeoutMs, memoryMb } = resolveLimits(request.limits);
      if (!Number.isFinite(timeoutMs) || !Number.isFinite(memoryMb)) throw new Error('bad limits');
      limits = { timeoutMs, memoryMb };
    } catch {
      return Promise.resolve(failureResult('InvalidArgument', 'limits must be numbers', startedAt));
    }
    if (!isPluginHost(host)) {
      return Promise.resolve(
        failureResult('InvalidArgument', 'host must implement patients and appointments', startedAt),
      );
    }
    try {
      JSON.stringify(data.input ?? null);
    } catch {
      return Promise.resolve(failureResult('InvalidArgument', 'input must be a JSON value', startedAt));
    }
    const identity = `${request.tenantId}/${request.pluginId ?? 'local'}`;
    if (this.#unsettled.has(identity)) {
      // Fail closed, as PluginSandbox does: a refund the store failed holds the plugin's next run.
      return this.#unsettled.retry(identity, this.#counters).then((failed) => {
        if (!failed) return this.#start(host, data, limits, startedAt);
        notify(this.#options.onInternalError, {
          operation: 'unsettled-retry',
          errorName: errorNameOf(failed.error),
          tenantId: request.tenantId,
          pluginId: request.pluginId ?? 'local',
        });
        return failureResult('RateLimited', UNSETTLED_RUN_MESSAGE, startedAt);
      });
    }
    return this.#start(host, data, limits, startedAt);
  }

  async #start(
    host: PluginHost,
    data: Omit<RunRequest, 'host' | 'runId'>,
    limits: RunLimits,
    startedAt: number,
  ): Promise<RunResult> {
    const runId = randomUUID();
    const message: SupervisorMessage = {
      type: 'run',
      runId,
      request: {
        ...data,
        grants: [...(data.grants ?? [])],
        hasStorage: Boolean(host?.storage),
        hasStorageBytesUsed: typeof host?.storage?.bytesUsed === 'function',
        hasStorageSetWithinQuota: typeof host?.storage?.setWithinQuota === 'function',
        hasFetch: typeof host?.fetch === 'function',
      },
    };
    this.#hosts.set(runId, host);
    try {
      const outcome = await this.#supervisor.request(runId, message, {
        guardMs: limits.timeoutMs + STUCK_WORKER_GRACE_MS,
      });
      if ('reply' in outcome) return outcome.reply;
      return failureResult(outcome.crashed, CRASH_MESSAGES[outcome.crashed], startedAt);
    } finally {
      this.#hosts.delete(runId);
    }
  }

  /** The current worker's pid, for process metrics and for tests that kill it. */
  get workerPid(): number | undefined {
    return this.#supervisor.pid;
  }

  async dispose(): Promise<void> {
    this.#isDisposed = true;
    await this.#supervisor.stop();
  }

  #onMessage(worker: Worker, message: WorkerMessage): void {
    switch (message.type) {
      case 'host':
        this.#answerHostCall(worker, message);
        return;
      case 'consume':
        this.#counters
          .consume(message.key, message.amount, message.limit ?? Number.POSITIVE_INFINITY, message.windowMs)
          .then(
            (result) => worker.send({ type: 'consumeReply', requestId: message.requestId, ...result }),
            // Fail closed: the worker's sandbox turns a failed counter into a failed run.
            () => worker.send({ type: 'consumeReply', requestId: message.requestId, failed: true }),
          );
        return;
      case 'release':
        // The worker does not wait for a refund; a failed one holds the plugin's next run here.
        this.#counters
          .release(message.key, message.amount, message.windowMs, message.at)
          .then(undefined, (error) => {
            const identity = message.key.slice(0, message.key.lastIndexOf('/'));
            this.#unsettled.add(identity, { key: message.key, amount: 0, windowMs: message.windowMs });
            const [tenantId = '', pluginId = ''] = identity.split('/');
            notify(this.#options.onInternalError, {
              operation: 'cpu-settle',
              errorName: errorNameOf(error),
              tenantId,
              pluginId,
            });
          });
        return;
      case 'security':
        notify(this.#options.onSecurityEvent, message.event);
        return;
      case 'resource':
        notify(this.#options.onResourceExceeded, message.event);
        return;
      case 'ready':
      case 'result':
        // The supervisor takes these: readiness and replies to the runs it sent.
        return;
    }
  }

  #answerHostCall(worker: Worker, message: Extract<WorkerMessage, { type: 'host' }>): void {
    const { runId, callId } = message;
    const host = this.#hosts.get(runId);
    if (!host || !worker.isServing(runId)) {
      // The run is over (or not this worker's): the host is never called for it again.
      worker.send({
        type: 'hostReply',
        runId,
        callId,
        ok: false,
        error: { code: 'SandboxCrashed', message: 'the run has ended' },
      });
      return;
    }
    invokeHost(host, message.method, message.args).then(
      (value) => {
        if (worker.isServing(runId)) {
          worker.send({ type: 'hostReply', runId, callId, ok: true, value: value ?? null });
        }
      },
      (error: unknown) => {
        if (!worker.isServing(runId)) return;
        const payload =
          error instanceof HostError && isApiErrorCode(error.code)
            ? { code: error.code, message: sanitizeHostMessage(error.message) }
            : { code: 'SandboxCrashed' as const, message: 'the host failed to answer the call' };
        worker.send({ type: 'hostReply', runId, callId, ok: false, error: payload });
      },
    );
  }
}

async function invokeHost(host: PluginHost, method: HostMethod, args: unknown[]): Promise<unknown> {
  const [first, second, third] = args as [never, never, unknown];
  switch (method) {
    case 'patients.search':
      return host.patients.search(first);
    case 'patients.get':
      return host.patients.get(first);
    case 'patients.update':
      return host.patients.update(first, second);
    case 'appointments.schedule':
      return host.appointments.schedule(first);
    case 'appointments.cancel':
      return host.appointments.cancel(first, (second as string | null) ?? undefined);
    case 'appointments.reschedule':
      return host.appointments.reschedule(first, second);
    case 'storage.get':
      return requireStorage(host).get(first);
    case 'storage.set':
      return requireStorage(host).set(first, second);
    case 'storage.delete':
      return requireStorage(host).delete(first);
    case 'storage.list':
      return requireStorage(host).list((first as string | null) ?? undefined);
    case 'storage.bytesUsed': {
      const storage = requireStorage(host);
      return storage.bytesUsed ? storage.bytesUsed() : 0;
    }
    case 'storage.setWithinQuota': {
      const storage = requireStorage(host);
      if (!storage.setWithinQuota || typeof third !== 'number') {
        throw new HostError('InvalidArgument', 'storage.setWithinQuota is not available');
      }
      return storage.setWithinQuota(first, second, third);
    }
    case 'fetch':
      if (!host.fetch) throw new HostError('PermissionDenied', 'network access is not available');
      return host.fetch(first, second);
  }
}

function requireStorage(host: PluginHost) {
  if (!host.storage) throw new HostError('PermissionDenied', 'storage is not available to this plugin');
  return host.storage;
}

function defaultWorkerPath(): string {
  const here = import.meta.url;
  // Beside the source when running TypeScript; beside the bundle (dist/sandbox/) when built.
  return fileURLToPath(new URL(here.endsWith('.ts') ? './worker.ts' : './sandbox-worker.js', here));
}
