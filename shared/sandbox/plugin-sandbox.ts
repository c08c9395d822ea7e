import { writeSync } from 'node:fs';
import type { Context, ExternalCopy, Isolate, Reference, Script } from 'isolated-vm';
import { BOOTSTRAP_SOURCE } from './bootstrap.ts';
import { notify, parseUntrustedJson, RunBridge } from './bridge.ts';
import { isApiErrorCode, type SandboxErrorCode, sandboxError } from './errors.ts';
import { isPluginHost, type PluginHost } from './host.ts';
import { type CatastrophicFailure, IsolatePool, type PooledIsolate } from './isolate-pool.ts';
import { loadIsolatedVm } from './isolated-vm.ts';
import { type Limits, MAX_RESULT_BYTES, RATE_WINDOW_MS, resolveLimits } from './limits.ts';
import { PreparedPluginCache } from './prepared-plugin.ts';
import {
  cpuMessage,
  failureResult,
  memoryMessage,
  type Outcome,
  resultTooLarge,
  syntaxMessage,
  timeoutOutcome,
} from './run-outcome.ts';
import {
  type Entry,
  type JsonValue,
  type ResourceExceeded,
  RunOptionsSchema,
  type RunResult,
  type SecurityEvent,
  type Usage,
} from './schemas.ts';
import { nanosecondsToMs, roundMs } from './usage.ts';
import { InMemoryUsageCounters, type UsageCounters } from './usage-counters.ts';

/** Head start of isolated-vm's own timeout over the host timer that disposes the isolate. */
const HOST_TIMER_GRACE_MS = 10;
const CPU_WATCHDOG_INTERVAL_MS = 10;
const RETIRE_HEAP_FRACTION = 0.75;
const MAX_INPUT_BYTES = 6 * 1024 * 1024;
const CACHED_DATA_ENTRIES = 64;
/** Compiling is synchronous below this size; larger sources compile off the event loop. */
const SYNC_COMPILE_MAX_CHARS = 32 * 1024;

export interface PluginSandboxOptions {
  /** Shared rate and CPU counters; pass a store-backed one so limits hold across processes. */
  readonly counters?: UsageCounters;
  /** Denied permissions and reserved event names, for the platform's security audit trail. */
  readonly onSecurityEvent?: (event: SecurityEvent) => void | Promise<void>;
  /** Every limit a run hits, as the payload of `plugin:resource:exceeded`. */
  readonly onResourceExceeded?: (event: ResourceExceeded) => void | Promise<void>;
  /**
   * V8 lost control of an isolate; the process must end. The default writes one line to stderr
   * and aborts. Replacing it is for the supervised worker, which reports the run first.
   */
  readonly onCatastrophicError?: (failure: CatastrophicFailure) => void;
  /** Concurrent runs per tenant and plugin (one isolate each); default 4. */
  readonly maxIsolatesPerKey?: number;
  /** Idle isolates kept warm across all tenants and plugins; default 32. */
  readonly maxIdleIsolates?: number;
}

export interface RunRequest {
  readonly code: string;
  readonly entry?: Entry;
  readonly input?: unknown;
  readonly grants: readonly string[];
  readonly tenantId: string;
  readonly pluginId?: string;
  readonly version?: string;
  readonly limits?: Partial<Limits>;
  readonly host: PluginHost;
  /** Correlation id, reported with a catastrophic failure so a supervisor can blame one run. */
  readonly runId?: string;
}

interface RunState {
  readonly identity: { tenantId: string; pluginId: string; version: string };
  readonly limits: Limits;
  readonly bridge: RunBridge;
  /** Set by a host-side watchdog before it disposes the isolate, so the failure can be named. */
  stoppedBy: 'timeout' | 'cpu' | undefined;
  cpuMs: number;
  peakHeapBytes: number;
  heapAfterRunBytes: number;
}

let runSequence = 0;
/** The bootstrap never changes within a process, so every isolate reuses one code cache. */
let bootstrapCachedData: ExternalCopy<ArrayBuffer> | undefined;

/**
 * Runs untrusted plugin code in isolated-vm: a fresh context per run in an isolate pooled per
 * tenant and plugin, every value copied across as JSON, every API call validated and authorized
 * on the host side. `run` never rejects for anything the plugin does.
 */
export class PluginSandbox {
  readonly #counters: UsageCounters;
  readonly #options: PluginSandboxOptions;
  readonly #pool: IsolatePool;
  readonly #prepared = new PreparedPluginCache();
  readonly #cachedData = new Map<string, ExternalCopy<ArrayBuffer>>();
  #isDisposed = false;

  constructor(options: PluginSandboxOptions = {}) {
    this.#options = options;
    this.#counters = options.counters ?? new InMemoryUsageCounters();
    this.#pool = new IsolatePool({
      maxIsolatesPerKey: options.maxIsolatesPerKey ?? 4,
      maxIdleIsolates: options.maxIdleIsolates ?? 32,
      onCatastrophicError: options.onCatastrophicError ?? abortOnCatastrophicError,
    });
  }

  async run(request: RunRequest): Promise<RunResult> {
    const startedAt = performance.now();
    try {
      loadIsolatedVm();
    } catch {
      return failureResult(
        'SandboxCrashed',
        'isolated-vm cannot be loaded: the sandbox needs Node.js 24',
        startedAt,
      );
    }
    try {
      return await this.#run(request, startedAt);
    } catch {
      // Only a defect of the sandbox itself lands here; the caller still gets a typed answer.
      return failureResult('SandboxCrashed', 'the sandbox failed to run the plugin', startedAt);
    }
  }

  async dispose(): Promise<void> {
    this.#isDisposed = true;
    this.#pool.dispose();
    this.#cachedData.clear();
  }

  async #run(request: RunRequest, startedAt: number): Promise<RunResult> {
    if (this.#isDisposed) return failureResult('SandboxCrashed', 'the sandbox has been disposed', startedAt);
    const { host, ...data } = request ?? ({} as RunRequest);
    const parsed = RunOptionsSchema.safeParse(data);
    if (!parsed.success) {
      const issue = parsed.error.issues[0];
      const field = issue?.path.map(String).join('.') || 'request';
      return failureResult('InvalidArgument', `${field}: ${issue?.message ?? 'invalid'}`, startedAt);
    }
    if (!isPluginHost(host)) {
      return failureResult('InvalidArgument', 'host must implement patients and appointments', startedAt);
    }
    const options = parsed.data;
    let inputJson: string | undefined;
    try {
      inputJson = JSON.stringify(options.input ?? null);
    } catch {
      inputJson = undefined;
    }
    if (inputJson === undefined || Buffer.byteLength(inputJson) > MAX_INPUT_BYTES) {
      return failureResult('InvalidArgument', 'input must be a JSON value of at most 6 MiB', startedAt);
    }
    const prepared = this.#prepared.get(options.code);
    if (!prepared.ok) return failureResult('PluginError', prepared.message, startedAt);

    const limits = resolveLimits(options.limits);
    const identity = { tenantId: options.tenantId, pluginId: options.pluginId, version: options.version };
    const cpuKey = `${identity.tenantId}/${identity.pluginId}/cpuMs`;
    const cpuBefore = await this.#counters.consume(cpuKey, 0, limits.cpuMsPerMinute, RATE_WINDOW_MS);
    if (cpuBefore.observed >= limits.cpuMsPerMinute) {
      notify(this.#options.onResourceExceeded, {
        ...identity,
        resource: 'cpu',
        limit: limits.cpuMsPerMinute,
        observed: cpuBefore.observed,
      });
      return failureResult('CpuBudgetExceeded', cpuMessage(limits), startedAt);
    }

    const state: RunState = {
      identity,
      limits,
      bridge: new RunBridge({
        host,
        grants: options.grants,
        identity,
        limits,
        counters: this.#counters,
        hooks: this.#options,
      }),
      stoppedBy: undefined,
      cpuMs: 0,
      peakHeapBytes: 0,
      heapAfterRunBytes: 0,
    };
    const poolKey = `${identity.tenantId}\u0000${identity.pluginId}\u0000${limits.memoryMb}`;
    const member = await this.#pool.acquire(poolKey, limits.memoryMb);
    member.currentRunId = request.runId ?? `run-${++runSequence}`;
    let outcome: Outcome;
    try {
      outcome = await this.#execute(member, prepared, state, {
        inputJson,
        entry: options.entry,
        cpuRemainingMs: limits.cpuMsPerMinute - cpuBefore.observed,
      });
    } finally {
      state.bridge.settle();
      // Retiring an isolate whose heap stays high keeps garbage from earlier runs from ever
      // pushing a well-behaved run over the memory limit.
      const isHealthy =
        !member.isolate.isDisposed &&
        state.bridge.inFlight === 0 &&
        state.heapAfterRunBytes < limits.memoryMb * 1024 * 1024 * RETIRE_HEAP_FRACTION;
      this.#pool.release(member, isHealthy, limits.memoryMb);
    }
    if (state.cpuMs > 0) {
      this.#counters
        .consume(cpuKey, state.cpuMs, Number.POSITIVE_INFINITY, RATE_WINDOW_MS)
        .then(undefined, () => {});
    }
    this.#reportExceeded(outcome, state);

    const { bridge } = state;
    const usage: Usage = {
      wallMs: roundMs(performance.now() - startedAt),
      cpuMs: roundMs(state.cpuMs),
      peakHeapBytes: state.peakHeapBytes,
      dataCalls: bridge.dataCalls,
      networkCalls: bridge.networkCalls,
      storageBytes: bridge.storageBytes,
    };
    if (outcome.ok)
      return { ok: true, value: outcome.value, usage, logs: bridge.logs, events: bridge.events };
    return {
      ok: false,
      error: sandboxError(outcome.code, outcome.message),
      usage,
      logs: bridge.logs,
      events: bridge.events,
    };
  }

  async #execute(
    member: PooledIsolate,
    prepared: { digest: string; source: string; lineOffset: number },
    state: RunState,
    run: { inputJson: string; entry: Entry; cpuRemainingMs: number },
  ): Promise<Outcome> {
    const ivm = loadIsolatedVm();
    const { isolate } = member;
    let script: Script;
    try {
      script = this.#pool.cachedScript(member, prepared.digest) ?? (await this.#compile(member, prepared));
    } catch (error) {
      return {
        ok: false,
        code: 'PluginError',
        message: `plugin is not a valid ES module: ${syntaxMessage(error)}`,
      };
    }
    member.bootstrap ??= this.#compileBootstrap(member.isolate);
    const bootstrap = member.bootstrap;

    const { timeoutMs } = state.limits;
    const cpuAtStart = isolate.cpuTime;
    let context: Context | undefined;
    let entryRef: Reference | undefined;
    // A disposed isolate that V8 cannot stop (a builtin filling a huge array) may never settle
    // the pending apply, so a watchdog answers the run itself instead of waiting for it.
    let stop: (reason: 'timeout' | 'cpu') => void = () => {};
    const stopped = new Promise<'stopped'>((resolve) => {
      stop = (reason) => {
        if (state.stoppedBy) return;
        state.stoppedBy = reason;
        sampleCpu(isolate, cpuAtStart, state);
        disposeQuietly(isolate);
        resolve('stopped');
      };
    });
    const hostTimer = setTimeout(() => stop('timeout'), timeoutMs + HOST_TIMER_GRACE_MS);
    const watchdog =
      run.cpuRemainingMs < timeoutMs
        ? setInterval(() => {
            sampleCpu(isolate, cpuAtStart, state);
            if (state.cpuMs > run.cpuRemainingMs) stop('cpu');
          }, CPU_WATCHDOG_INTERVAL_MS)
        : undefined;
    try {
      context = isolate.createContextSync();
      script.runSync(context);
      const entry = bootstrap.runSync(context, { reference: true }) as Reference;
      entryRef = entry;
      const { bridge } = state;
      const hostCall = new ivm.Callback((id: unknown, method: unknown, argsJson: unknown) => {
        if (typeof id !== 'number' || typeof method !== 'string' || typeof argsJson !== 'string') {
          return 'InvalidArgument\nbad call';
        }
        return bridge.call(method, argsJson, (text) => {
          entry.apply(undefined, [1, id, text]).then(undefined, () => {});
        });
      });
      const record = new ivm.Callback((kind: unknown, json: unknown) =>
        typeof kind === 'string' && typeof json === 'string'
          ? bridge.record(kind, json)
          : 'InvalidArgument\nbad record',
      );
      const applied = entry.apply(
        undefined,
        [0, hostCall, record, run.inputJson, run.entry, state.identity.pluginId],
        { result: { promise: true }, timeout: timeoutMs },
      );
      applied.then(undefined, () => {});
      const reply: unknown = await Promise.race([applied, stopped]);
      state.bridge.settle();
      sampleUsage(isolate, cpuAtStart, state);
      if (state.stoppedBy) return stoppedOutcome(state);
      return this.#interpret(reply, state);
    } catch (error) {
      state.bridge.settle();
      sampleUsage(isolate, cpuAtStart, state);
      if (state.stoppedBy) return stoppedOutcome(state);
      const message = error instanceof Error ? error.message : '';
      if (message.includes('timed out')) return timeoutOutcome(state.limits);
      if (message.includes('memory limit') || isolate.isDisposed) {
        return { ok: false, code: 'MemoryLimitExceeded', message: memoryMessage(state.limits) };
      }
      return { ok: false, code: 'SandboxCrashed', message: 'the sandbox failed while running the plugin' };
    } finally {
      clearTimeout(hostTimer);
      if (watchdog) clearInterval(watchdog);
      if (!isolate.isDisposed) {
        entryRef?.release();
        context?.release();
      }
    }
  }

  #compileBootstrap(isolate: Isolate): Script {
    const script = isolate.compileScriptSync(BOOTSTRAP_SOURCE, {
      filename: 'gradiant-bootstrap.js',
      ...(bootstrapCachedData ? { cachedData: bootstrapCachedData } : { produceCachedData: true }),
    });
    bootstrapCachedData ??= (script as Script & { cachedData?: ExternalCopy<ArrayBuffer> }).cachedData;
    return script;
  }

  async #compile(
    member: PooledIsolate,
    prepared: { digest: string; source: string; lineOffset: number },
  ): Promise<Script> {
    const cachedData = this.#cachedData.get(prepared.digest);
    const options = {
      filename: 'plugin.js',
      lineOffset: prepared.lineOffset,
      ...(cachedData ? { cachedData } : { produceCachedData: true }),
    };
    const script =
      prepared.source.length <= SYNC_COMPILE_MAX_CHARS
        ? member.isolate.compileScriptSync(prepared.source, options)
        : await member.isolate.compileScript(prepared.source, options);
    const produced = (script as Script & { cachedData?: ExternalCopy<ArrayBuffer> }).cachedData;
    if (!cachedData && produced) {
      this.#cachedData.set(prepared.digest, produced);
      if (this.#cachedData.size > CACHED_DATA_ENTRIES) {
        const oldest = this.#cachedData.keys().next();
        if (!oldest.done) this.#cachedData.delete(oldest.value);
      }
    }
    this.#pool.rememberScript(member, prepared.digest, script);
    return script;
  }

  #interpret(reply: unknown, state: RunState): Outcome {
    if (typeof reply !== 'string' || reply.length === 0) {
      return { ok: false, code: 'PluginError', message: 'the plugin run produced no result' };
    }
    if (reply[0] === '1') {
      const json = reply.slice(1);
      const bytes = Buffer.byteLength(json);
      if (bytes > MAX_RESULT_BYTES) return resultTooLarge(bytes);
      return { ok: true, value: parseUntrustedJson(json) as JsonValue };
    }
    const newline = reply.indexOf('\n');
    const code = reply.slice(1, newline);
    const message = reply.slice(newline + 1);
    if (code === 'QuotaExceeded' && !state.bridge.issued.has('QuotaExceeded')) {
      return resultTooLarge(reply.length);
    }
    if (isApiErrorCode(code)) {
      const issuedMessage = state.bridge.issued.get(code);
      // The isolate can only claim an API error the host actually raised in this run.
      if (issuedMessage !== undefined) return { ok: false, code, message: issuedMessage };
      return { ok: false, code: 'PluginError', message: 'plugin threw an error it was never given' };
    }
    return { ok: false, code: 'PluginError', message };
  }

  #reportExceeded(outcome: Outcome, state: RunState): void {
    if (outcome.ok) return;
    const { limits } = state;
    const resourceFor: Partial<Record<SandboxErrorCode, [ResourceExceeded['resource'], number, number]>> = {
      TimeoutExceeded: ['timeout', limits.timeoutMs, Math.round(state.cpuMs)],
      MemoryLimitExceeded: [
        'memory',
        limits.memoryMb * 1024 * 1024,
        Math.max(state.peakHeapBytes, limits.memoryMb * 1024 * 1024),
      ],
      CpuBudgetExceeded: ['cpu', limits.cpuMsPerMinute, Math.round(state.cpuMs)],
    };
    const entry = resourceFor[outcome.code];
    if (outcome.code === 'QuotaExceeded' && outcome.message.startsWith('result exceeds')) {
      notify(this.#options.onResourceExceeded, {
        ...state.identity,
        resource: 'resultSize',
        limit: MAX_RESULT_BYTES,
        observed: Number(/(\d+) bytes/.exec(outcome.message)?.[1] ?? MAX_RESULT_BYTES + 1),
      });
    } else if (entry) {
      notify(this.#options.onResourceExceeded, {
        ...state.identity,
        resource: entry[0],
        limit: entry[1],
        observed: entry[2],
      });
    }
  }
}

/** Safe while the isolate runs: reading `cpuTime` takes no isolate lock. */
function sampleCpu(isolate: Isolate, cpuAtStart: bigint, state: RunState): void {
  if (isolate.isDisposed) return;
  try {
    state.cpuMs = Math.max(state.cpuMs, nanosecondsToMs(isolate.cpuTime - cpuAtStart));
  } catch {
    // Disposed between the check and the read: keep the last sample.
  }
}

/** Only once the run is over: heap statistics wait for the isolate lock, which a spin never frees. */
function sampleUsage(isolate: Isolate, cpuAtStart: bigint, state: RunState): void {
  sampleCpu(isolate, cpuAtStart, state);
  if (isolate.isDisposed) return;
  try {
    const heap = isolate.getHeapStatisticsSync();
    state.heapAfterRunBytes = heap.used_heap_size + heap.externally_allocated_size;
    state.peakHeapBytes = Math.max(state.peakHeapBytes, state.heapAfterRunBytes);
  } catch {
    // Disposed between the check and the read: keep the last sample.
  }
}

function disposeQuietly(isolate: Isolate): void {
  try {
    if (!isolate.isDisposed) isolate.dispose();
  } catch {
    // Already gone.
  }
}

function stoppedOutcome(state: RunState): Outcome {
  if (state.stoppedBy === 'cpu')
    return { ok: false, code: 'CpuBudgetExceeded', message: cpuMessage(state.limits) };
  return timeoutOutcome(state.limits);
}

function abortOnCatastrophicError(failure: CatastrophicFailure): void {
  writeSync(
    2,
    `gradiant-sandbox: isolated-vm lost control of an isolate (run ${failure.runId ?? 'unknown'}); aborting\n`,
  );
  process.abort();
}
