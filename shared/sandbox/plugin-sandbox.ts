import { notify, RunBridge, type RunIdentity } from './bridge.ts';
import { abortOnCatastrophicError } from './catastrophic-abort.ts';
import { CPU_WATCHDOG_INTERVAL_MS, CpuLease, cpuCounterKey } from './cpu-lease.ts';
import { type SandboxErrorCode, sandboxError } from './errors.ts';
import { isPluginHost, type PluginHost } from './host.ts';
import { type CatastrophicFailure, IsolatePool } from './isolate-pool.ts';
import { IsolateRunner, type RunState } from './isolate-run.ts';
import { loadIsolatedVm } from './isolated-vm.ts';
import { type Limits, MAX_RESULT_BYTES, RATE_WINDOW_MS, resolveLimits } from './limits.ts';
import { PreparedPluginCache } from './prepared-plugin.ts';
import { onceAt } from './refusal-tally.ts';
import { cpuMessage, failureResult, type Outcome } from './run-outcome.ts';
import {
  type Entry,
  type ResourceExceeded,
  RunOptionsSchema,
  type RunResult,
  type SecurityEvent,
  type Usage,
} from './schemas.ts';
import { StoreLatency } from './store-latency.ts';
import {
  errorNameOf,
  type FailedCharge,
  type InternalError,
  UNSETTLED_RUN_MESSAGE,
  UnsettledCharges,
} from './unsettled-charges.ts';
import { roundMs } from './usage.ts';
import { InMemoryUsageCounters, type UsageCounters } from './usage-counters.ts';

const RETIRE_HEAP_FRACTION = 0.75;
const MAX_INPUT_BYTES = 6 * 1024 * 1024;

export interface PluginSandboxOptions {
  /**
   * Shared rate and CPU counters; pass a store-backed one so limits hold across processes. The
   * in-process default is for authors and tests; the platform must pass one (`PlatformSandboxOptions`).
   */
  readonly counters?: UsageCounters;
  /**
   * A failure of the sandbox's own machinery that did not fail the run (a counter update the store
   * did not take), by error name only. The tenant's next run of that plugin is held meanwhile.
   */
  readonly onInternalError?: (error: InternalError) => void | Promise<void>;
  /** Denied permissions and reserved event names, for the platform's security audit trail. */
  readonly onSecurityEvent?: (event: SecurityEvent) => void | Promise<void>;
  /** Every limit a run hits, as the payload of `plugin:resource:exceeded`. */
  readonly onResourceExceeded?: (event: ResourceExceeded) => void | Promise<void>;
  /**
   * V8 lost control of an isolate; the process must end. The default writes one line to stderr
   * (isolated-vm's message and the run, for a supervisor's crash classifier) and aborts.
   */
  readonly onCatastrophicError?: (failure: CatastrophicFailure) => void;
  /** Concurrent runs per tenant and plugin (one isolate each); default 4. */
  readonly maxIsolatesPerKey?: number;
  /** Idle isolates kept warm across all tenants and plugins; default 32. */
  readonly maxIdleIsolates?: number;
  /**
   * While host calls are in flight, a lowest-priority thread keeps one CPU from idling, which
   * roughly halves the host-call round trip on VMs where waking an idle CPU is slow, at the cost
   * of otherwise idle CPU time. Default true; pass false where idle CPU time is billed or shared.
   */
  readonly keepCpuAwakeDuringHostCalls?: boolean;
}

/**
 * How the platform builds its sandbox: the counters are required, so limits can never silently
 * fall back to one process's memory, and so is the hook, so a held tenant shows up in the logs.
 */
export type PlatformSandboxOptions = PluginSandboxOptions &
  Required<Pick<PluginSandboxOptions, 'counters' | 'onInternalError'>>;

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
  /**
   * This run's view of the sandbox's counters (the same store behind it), for a caller that
   * reserved the run's first CPU chunk itself or writes its refunds with its own records. The
   * limits are the sandbox's either way: every charge still goes through `consume`.
   */
  readonly counters?: UsageCounters;
}

let runSequence = 0;
/**
 * Runs untrusted plugin code in isolated-vm: a fresh context per run in an isolate pooled per
 * tenant and plugin, every value copied across as JSON, every API call validated and authorized
 * on the host side. `run` never rejects for anything the plugin does.
 */
export class PluginSandbox {
  readonly #counters: UsageCounters;
  readonly #counterLatency = new StoreLatency();
  readonly #options: PluginSandboxOptions;
  readonly #pool: IsolatePool;
  readonly #prepared = new PreparedPluginCache();
  readonly #unsettled = new UnsettledCharges();
  readonly #runner: IsolateRunner;
  #isDisposed = false;

  constructor(options: PluginSandboxOptions = {}) {
    this.#options = options;
    this.#counters = options.counters ?? new InMemoryUsageCounters();
    this.#pool = new IsolatePool({
      maxIsolatesPerKey: options.maxIsolatesPerKey ?? 4,
      maxIdleIsolates: options.maxIdleIsolates ?? 32,
      onCatastrophicError: options.onCatastrophicError ?? abortOnCatastrophicError,
    });
    this.#runner = new IsolateRunner(this.#pool, {
      keepCpuAwake: options.keepCpuAwakeDuringHostCalls ?? true,
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
    this.#runner.dispose();
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
    const chargeKey = `${identity.tenantId}/${identity.pluginId}`;
    if (this.#unsettled.has(chargeKey)) {
      // Fail closed: an earlier run's usage never reached the store, so it is written first.
      const failed = await this.#unsettled.retry(chargeKey, this.#counters);
      if (failed) {
        this.#reportInternal('unsettled-retry', failed.error, identity);
        return failureResult('RateLimited', UNSETTLED_RUN_MESSAGE, startedAt);
      }
    }
    const cpuKey = cpuCounterKey(identity.tenantId, identity.pluginId);
    const counters = request.counters ?? this.#counters;
    const leased = await CpuLease.acquire({
      counters,
      key: cpuKey,
      limitMs: limits.cpuMsPerMinute,
      windowMs: RATE_WINDOW_MS,
      // CPU time cannot outrun wall time, and the host timer ends the run just after the timeout.
      maxUseMs: limits.timeoutMs + 2 * CPU_WATCHDOG_INTERVAL_MS,
      latency: this.#counterLatency,
    });
    if (!leased.ok && leased.reason === 'unavailable') {
      // Fail closed: a budget that cannot be checked is not granted.
      return failureResult(
        'RateLimited',
        'the CPU budget cannot be checked right now; retry later',
        startedAt,
      );
    }
    if (!leased.ok) {
      notify(this.#options.onResourceExceeded, {
        ...identity,
        resource: 'cpu',
        limit: limits.cpuMsPerMinute,
        observed: Math.round(leased.observed),
        ...onceAt(),
      });
      return failureResult('CpuBudgetExceeded', cpuMessage(limits), startedAt);
    }
    const { lease } = leased;

    const state: RunState = {
      identity,
      limits,
      bridge: new RunBridge({
        host,
        grants: options.grants,
        identity,
        limits,
        counters,
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
      outcome = await this.#runner.execute(member, prepared, state, {
        inputJson,
        entry: options.entry,
        cpu: lease,
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
      // Awaited: a Lambda instance may freeze right after answering, and an unsent refund would
      // keep the tenant's budget taken. Same store trips as checking before and charging after.
      const unsettled = await lease.settle(state.cpuMs);
      if (unsettled) this.#hold(chargeKey, 'cpu-settle', unsettled, identity);
    }
    this.#reportExceeded(outcome, state);
    for (const { operation, failed } of await state.bridge.report()) {
      this.#hold(chargeKey, operation, failed, identity);
    }

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

  #hold(
    chargeKey: string,
    operation: InternalError['operation'],
    failed: FailedCharge,
    identity: RunIdentity,
  ) {
    this.#unsettled.add(chargeKey, failed.charge);
    this.#reportInternal(operation, failed.error, identity);
  }

  #reportInternal(operation: InternalError['operation'], error: unknown, identity: RunIdentity): void {
    const { tenantId, pluginId } = identity;
    notify(this.#options.onInternalError, { operation, errorName: errorNameOf(error), tenantId, pluginId });
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
        ...onceAt(),
      });
    } else if (entry) {
      notify(this.#options.onResourceExceeded, {
        ...state.identity,
        resource: entry[0],
        limit: entry[1],
        observed: entry[2],
        ...onceAt(),
      });
    }
  }
}
