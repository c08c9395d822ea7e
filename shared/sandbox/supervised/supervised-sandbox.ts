import { type ChildProcess, fork } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { fileURLToPath } from 'node:url';
import { notify } from '../bridge.ts';
import { HostError, isApiErrorCode, type SandboxErrorCode, sanitizeHostMessage } from '../errors.ts';
import { isPluginHost, type PluginHost } from '../host.ts';
import { resolveLimits } from '../limits.ts';
import type { PluginSandboxOptions, RunRequest } from '../plugin-sandbox.ts';
import { failureResult } from '../run-outcome.ts';
import type { RunResult } from '../schemas.ts';
import { errorNameOf, UNSETTLED_RUN_MESSAGE, UnsettledCharges } from '../unsettled-charges.ts';
import { InMemoryUsageCounters, type UsageCounters } from '../usage-counters.ts';
import {
  CATASTROPHIC_MARKER,
  type HostMethod,
  type SupervisorMessage,
  type WorkerMessage,
  WorkerMessageSchema,
} from './protocol.ts';

/** How long past a run's own timeout the supervisor waits before it kills a stuck worker. */
const STUCK_WORKER_GRACE_MS = 2_000;
const STDERR_TAIL_CHARS = 16 * 1024;
const OUT_OF_MEMORY = /out of memory|heap limit|allocation failed|memory limit/i;

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

interface PendingRun {
  readonly host: PluginHost;
  readonly worker: ChildProcess;
  readonly startedAt: number;
  readonly limits: { timeoutMs: number; memoryMb: number };
  readonly resolve: (result: RunResult) => void;
  readonly stuckTimer: NodeJS.Timeout;
  /** Set when the supervisor killed the worker because this run never answered. */
  isStuck: boolean;
}

/**
 * The same `run`/`dispose` API as `PluginSandbox`, with the isolates in a child process: V8 can
 * abort a whole process when hostile code overshoots an isolate's heap, so plugins never share a
 * process with anything that must survive them. A worker death answers the run that caused it
 * with `MemoryLimitExceeded` (or `SandboxCrashed`), every other run in flight with
 * `SandboxCrashed`, and the next run starts a new worker. No run ever waits forever.
 */
export class SupervisedSandbox {
  readonly #options: SupervisedSandboxOptions;
  readonly #counters: UsageCounters;
  readonly #pending = new Map<string, PendingRun>();
  readonly #unsettled = new UnsettledCharges();
  #worker: ChildProcess | undefined;
  #stderrTail = '';
  #isDisposed = false;

  constructor(options: SupervisedSandboxOptions = {}) {
    this.#options = options;
    // Counters live here, not in the worker, so a restarted worker does not reset any limit.
    this.#counters = options.counters ?? new InMemoryUsageCounters();
  }

  run(request: RunRequest): Promise<RunResult> {
    const startedAt = performance.now();
    if (this.#isDisposed)
      return Promise.resolve(failureResult('SandboxCrashed', 'the sandbox has been disposed', startedAt));
    const { host, runId: _ignored, ...data } = request;
    let limits: { timeoutMs: number; memoryMb: number };
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

  #start(
    host: PluginHost,
    data: Omit<RunRequest, 'host' | 'runId'>,
    limits: PendingRun['limits'],
    startedAt: number,
  ): Promise<RunResult> {
    const worker = this.#ensureWorker();
    const runId = randomUUID();
    return new Promise<RunResult>((resolve) => {
      const stuckTimer = setTimeout(() => {
        const pending = this.#pending.get(runId);
        if (!pending) return;
        pending.isStuck = true;
        worker.kill('SIGKILL');
      }, limits.timeoutMs + STUCK_WORKER_GRACE_MS);
      this.#pending.set(runId, { host, worker, startedAt, limits, resolve, stuckTimer, isStuck: false });
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
      if (!this.#send(worker, message))
        this.#finish(runId, failureResult('SandboxCrashed', 'the sandbox worker is not running', startedAt));
    });
  }

  /** The current worker's pid, for process metrics and for tests that kill it. */
  get workerPid(): number | undefined {
    return this.#worker?.pid;
  }

  async dispose(): Promise<void> {
    this.#isDisposed = true;
    const worker = this.#worker;
    this.#worker = undefined;
    if (!worker || worker.exitCode !== null || worker.signalCode !== null) return;
    const exited = new Promise<void>((resolve) => worker.once('exit', () => resolve()));
    worker.disconnect();
    const forced = setTimeout(() => worker.kill('SIGKILL'), 2_000);
    await exited;
    clearTimeout(forced);
  }

  #ensureWorker(): ChildProcess {
    if (this.#worker?.connected) return this.#worker;
    const workerPath = this.#options.workerPath ?? defaultWorkerPath();
    const worker = fork(workerPath, [], {
      execArgv: ['--no-node-snapshot', ...(this.#options.execArgv ?? [])],
      stdio: ['ignore', 'ignore', 'pipe', 'ipc'],
      serialization: 'json',
    });
    this.#stderrTail = '';
    worker.stderr?.setEncoding('utf8');
    worker.stderr?.on('data', (chunk: string) => {
      this.#stderrTail = (this.#stderrTail + chunk).slice(-STDERR_TAIL_CHARS);
    });
    worker.on('message', (raw: unknown) => this.#onMessage(worker, raw));
    worker.on('exit', () => this.#onExit(worker));
    worker.on('error', () => {
      // 'exit' follows (or the send fails); both paths answer the pending runs.
    });
    this.#worker = worker;
    return worker;
  }

  #onMessage(worker: ChildProcess, raw: unknown): void {
    const parsed = WorkerMessageSchema.safeParse(raw);
    if (!parsed.success) return;
    const message = parsed.data;
    switch (message.type) {
      case 'result': {
        const pending = this.#pending.get(message.runId);
        if (pending?.worker === worker) this.#finish(message.runId, message.result as RunResult);
        return;
      }
      case 'host':
        this.#answerHostCall(worker, message);
        return;
      case 'consume':
        this.#counters
          .consume(message.key, message.amount, message.limit ?? Number.POSITIVE_INFINITY, message.windowMs)
          .then(
            (result) => this.#send(worker, { type: 'consumeReply', requestId: message.requestId, ...result }),
            // Fail closed: the worker's sandbox turns a failed counter into a failed run.
            () => this.#send(worker, { type: 'consumeReply', requestId: message.requestId, failed: true }),
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
        return;
    }
  }

  #answerHostCall(worker: ChildProcess, message: Extract<WorkerMessage, { type: 'host' }>): void {
    const { runId, callId } = message;
    const pending = this.#pending.get(runId);
    if (!pending || pending.worker !== worker) {
      // The run is over: the host is never called for it again.
      this.#send(worker, {
        type: 'hostReply',
        runId,
        callId,
        ok: false,
        error: { code: 'SandboxCrashed', message: 'the run has ended' },
      });
      return;
    }
    invokeHost(pending.host, message.method, message.args).then(
      (value) => {
        if (this.#pending.get(runId) === pending) {
          this.#send(worker, { type: 'hostReply', runId, callId, ok: true, value: value ?? null });
        }
      },
      (error: unknown) => {
        if (this.#pending.get(runId) !== pending) return;
        const payload =
          error instanceof HostError && isApiErrorCode(error.code)
            ? { code: error.code, message: sanitizeHostMessage(error.message) }
            : { code: 'SandboxCrashed' as const, message: 'the host failed to answer the call' };
        this.#send(worker, { type: 'hostReply', runId, callId, ok: false, error: payload });
      },
    );
  }

  #onExit(worker: ChildProcess): void {
    if (this.#worker === worker) this.#worker = undefined;
    const tail = this.#stderrTail;
    const blamed = new RegExp(`${CATASTROPHIC_MARKER} (\\S+)`).exec(tail)?.[1];
    const isOutOfMemory = blamed !== undefined || OUT_OF_MEMORY.test(tail);
    const victims = [...this.#pending].filter(([, pending]) => pending.worker === worker);
    for (const [runId, pending] of victims) {
      const isCulprit = blamed === runId || (blamed === undefined && victims.length === 1);
      let code: SandboxErrorCode = 'SandboxCrashed';
      let message = 'the sandbox process stopped while the plugin was running';
      if (pending.isStuck) {
        code = 'TimeoutExceeded';
        message = `plugin exceeded its ${pending.limits.timeoutMs} ms execution timeout`;
      } else if (isCulprit && isOutOfMemory) {
        code = 'MemoryLimitExceeded';
        message = `plugin exceeded its ${pending.limits.memoryMb} MB memory limit`;
      }
      this.#finish(runId, failureResult(code, message, pending.startedAt));
    }
  }

  #finish(runId: string, result: RunResult): void {
    const pending = this.#pending.get(runId);
    if (!pending) return;
    this.#pending.delete(runId);
    clearTimeout(pending.stuckTimer);
    pending.resolve(result);
  }

  #send(worker: ChildProcess, message: SupervisorMessage): boolean {
    if (!worker.connected) return false;
    try {
      worker.send(message);
      return true;
    } catch {
      return false;
    }
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
