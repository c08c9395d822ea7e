import type { Context, ExternalCopy, Isolate, Reference, Script } from 'isolated-vm';
import { BOOTSTRAP_SOURCE } from './bootstrap.ts';
import { parseUntrustedJson, type RunBridge } from './bridge.ts';
import { CPU_WATCHDOG_INTERVAL_MS } from './cpu-lease.ts';
import { isApiErrorCode } from './errors.ts';
import type { IsolatePool, PooledIsolate } from './isolate-pool.ts';
import { loadIsolatedVm } from './isolated-vm.ts';
import { type Limits, MAX_RESULT_BYTES } from './limits.ts';
import {
  cpuMessage,
  deniedMessage,
  memoryMessage,
  type Outcome,
  resultTooLarge,
  syntaxMessage,
  timeoutOutcome,
} from './run-outcome.ts';
import type { Entry, JsonValue } from './schemas.ts';
import { nanosecondsToMs } from './usage.ts';
import { wakeKeeper } from './wake-keeper.ts';

/** Head start of isolated-vm's own timeout over the host timer that disposes the isolate. */
const HOST_TIMER_GRACE_MS = 10;
const CACHED_DATA_ENTRIES = 64;
/** Compiling is synchronous below this size; larger sources compile off the event loop. */
const SYNC_COMPILE_MAX_CHARS = 32 * 1024;

export interface RunState {
  readonly identity: { tenantId: string; pluginId: string; version: string };
  readonly limits: Limits;
  readonly bridge: RunBridge;
  /** Set by a host-side watchdog (or the bridge) before it disposes the isolate, so the failure can be named. */
  stoppedBy: 'timeout' | 'cpu' | 'denied' | undefined;
  cpuMs: number;
  peakHeapBytes: number;
  heapAfterRunBytes: number;
}

/**
 * The run's share of the CPU budget (a `CpuLease`), asked on every watchdog sample; it calls
 * `recheck` to be asked again when a reservation it started settles.
 */
export interface CpuAllowance {
  allows(usedMs: number, recheck: () => void): boolean;
}

/** The bootstrap never changes within a process, so every isolate reuses one code cache. */
let bootstrapCachedData: ExternalCopy<ArrayBuffer> | undefined;

/**
 * One run inside one pooled isolate: compile (or reuse) the scripts, create a fresh context, hand
 * the bridge's two callbacks to the bootstrap's entry point, and turn whatever happens (a result,
 * a timeout, a CPU overrun, a dead isolate) into an outcome. Usage is sampled into the state.
 */
export class IsolateRunner {
  readonly #pool: IsolatePool;
  readonly #cachedData = new Map<string, ExternalCopy<ArrayBuffer>>();

  readonly #keepCpuAwake: boolean;
  #isDisposed = false;

  constructor(pool: IsolatePool, options: { keepCpuAwake: boolean }) {
    this.#pool = pool;
    this.#keepCpuAwake = options.keepCpuAwake;
    if (this.#keepCpuAwake) wakeKeeper.retain();
  }

  dispose(): void {
    this.#cachedData.clear();
    if (this.#isDisposed) return;
    this.#isDisposed = true;
    if (this.#keepCpuAwake) wakeKeeper.release();
  }

  async execute(
    member: PooledIsolate,
    prepared: { digest: string; source: string; lineOffset: number },
    state: RunState,
    run: { inputJson: string; entry: Entry; cpu: CpuAllowance },
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
    let stop: (reason: 'timeout' | 'cpu' | 'denied') => void = () => {};
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
    // The bridge may decide from inside a synchronous callback, while the isolate waits on the
    // host: the isolate is disposed on the next turn of the host's loop, not under its own call.
    state.bridge.onStop(() => setImmediate(() => stop('denied')));
    // Always on: the run holds only the CPU it has reserved, and the watchdog reserves more ahead
    // of need. A host timer, so a pending reservation never blocks the isolate.
    let isFinished = false;
    const checkCpu = (): void => {
      // A reservation may settle after the run: the isolate is back in the pool by then.
      if (isFinished) return;
      sampleCpu(isolate, cpuAtStart, state);
      if (!run.cpu.allows(state.cpuMs, checkCpu)) stop('cpu');
    };
    const watchdog = setInterval(checkCpu, CPU_WATCHDOG_INTERVAL_MS);
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
        if (this.#keepCpuAwake) wakeKeeper.touch();
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
      isFinished = true;
      clearTimeout(hostTimer);
      clearInterval(watchdog);
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
  if (state.stoppedBy === 'denied') return { ok: false, code: 'PermissionDenied', message: deniedMessage() };
  return timeoutOutcome(state.limits);
}
