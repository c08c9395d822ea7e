import type { Isolate, Script } from 'isolated-vm';
import { loadIsolatedVm } from './isolated-vm.ts';

const SCRIPTS_PER_ISOLATE = 8;

/** One isolate and what it has compiled; it runs at most one invocation at a time. */
export interface PooledIsolate {
  readonly key: string;
  readonly isolate: Isolate;
  readonly scripts: Map<string, Script>;
  /** The bootstrap compiled in this isolate; it runs in every context after the plugin script. */
  bootstrap: Script | undefined;
  isBusy: boolean;
  lastUsedAt: number;
  /** The run currently using it, for attributing a catastrophic V8 failure. */
  currentRunId: string | undefined;
}

export interface CatastrophicFailure {
  readonly message: string;
  readonly runId: string | undefined;
}

export interface IsolatePoolOptions {
  /** Concurrent runs per tenant and plugin; later runs wait for a free isolate. */
  readonly maxIsolatesPerKey: number;
  /** Idle isolates kept across all keys; the least recently used are disposed first. */
  readonly maxIdleIsolates: number;
  /**
   * isolated-vm calls this when V8 has lost control of an isolate (an allocation far past the
   * memory limit); the process is not safe to continue, so it must end.
   */
  readonly onCatastrophicError: (failure: CatastrophicFailure) => void;
}

interface Waiter {
  resolve(isolate: PooledIsolate): void;
  reject(error: Error): void;
}

/**
 * Isolates are pooled per pool key (tenant, plugin and memory limit), never shared across
 * tenants. One run per isolate at a time: isolated-vm 7.0.1 aborts the process when compilation
 * and release overlap on one isolate, and one run at a time also means a retired isolate takes
 * only its own run down.
 */
export class IsolatePool {
  readonly #options: IsolatePoolOptions;
  readonly #byKey = new Map<string, PooledIsolate[]>();
  readonly #waiters = new Map<string, Waiter[]>();
  #isDisposed = false;

  constructor(options: IsolatePoolOptions) {
    this.#options = options;
  }

  acquire(key: string, memoryMb: number): Promise<PooledIsolate> | PooledIsolate {
    if (this.#isDisposed) throw new Error('the sandbox has been disposed');
    const members = this.#byKey.get(key) ?? [];
    for (const member of members) {
      if (!member.isBusy && !member.isolate.isDisposed) {
        member.isBusy = true;
        return member;
      }
    }
    const live = members.filter((member) => !member.isolate.isDisposed);
    if (live.length < this.#options.maxIsolatesPerKey) {
      const created = this.#create(key, memoryMb);
      live.push(created);
      this.#byKey.set(key, live);
      return created;
    }
    return new Promise((resolve, reject) => {
      const queue = this.#waiters.get(key) ?? [];
      queue.push({ resolve, reject });
      this.#waiters.set(key, queue);
    });
  }

  /** Returns an isolate; a broken or suspect one is disposed and a waiter gets a new one. */
  release(member: PooledIsolate, isHealthy: boolean, memoryMb: number): void {
    member.isBusy = false;
    member.lastUsedAt = performance.now();
    // A retired isolate keeps its run id: V8 may still fail on it later, and the blame must stick.
    if (!isHealthy || this.#isDisposed) this.#retire(member);
    else member.currentRunId = undefined;
    const waiter = this.#waiters.get(member.key)?.shift();
    if (waiter) {
      if (member.isolate.isDisposed) {
        const replacement = this.#create(member.key, memoryMb);
        this.#byKey.get(member.key)?.push(replacement);
        waiter.resolve(replacement);
      } else {
        member.isBusy = true;
        waiter.resolve(member);
      }
      return;
    }
    this.#trimIdle();
  }

  cachedScript(member: PooledIsolate, digest: string): Script | undefined {
    return member.scripts.get(digest);
  }

  rememberScript(member: PooledIsolate, digest: string, script: Script): void {
    if (member.scripts.size >= SCRIPTS_PER_ISOLATE) {
      const oldest = member.scripts.keys().next();
      if (!oldest.done) {
        member.scripts.get(oldest.value)?.release();
        member.scripts.delete(oldest.value);
      }
    }
    member.scripts.set(digest, script);
  }

  get size(): number {
    let count = 0;
    for (const members of this.#byKey.values()) count += members.length;
    return count;
  }

  dispose(): void {
    this.#isDisposed = true;
    for (const queue of this.#waiters.values()) {
      for (const waiter of queue) waiter.reject(new Error('the sandbox has been disposed'));
    }
    this.#waiters.clear();
    for (const members of this.#byKey.values()) {
      for (const member of members) if (!member.isBusy) this.#disposeIsolate(member);
    }
  }

  #create(key: string, memoryMb: number): PooledIsolate {
    const ivm = loadIsolatedVm();
    const member: PooledIsolate = {
      key,
      isolate: undefined as unknown as Isolate,
      scripts: new Map(),
      bootstrap: undefined,
      isBusy: true,
      lastUsedAt: performance.now(),
      currentRunId: undefined,
    };
    const isolate = new ivm.Isolate({
      memoryLimit: memoryMb,
      onCatastrophicError: (message) =>
        this.#options.onCatastrophicError({ message, runId: member.currentRunId }),
    });
    (member as { isolate: Isolate }).isolate = isolate;
    return member;
  }

  #retire(member: PooledIsolate): void {
    const members = this.#byKey.get(member.key);
    if (members) {
      const index = members.indexOf(member);
      if (index !== -1) members.splice(index, 1);
      if (members.length === 0) this.#byKey.delete(member.key);
    }
    this.#disposeIsolate(member);
  }

  #disposeIsolate(member: PooledIsolate): void {
    member.scripts.clear();
    member.bootstrap = undefined;
    if (!member.isolate.isDisposed) {
      try {
        member.isolate.dispose();
      } catch {
        // Already disposed by isolated-vm itself (memory limit): nothing left to free.
      }
    }
  }

  #trimIdle(): void {
    const idle: PooledIsolate[] = [];
    for (const members of this.#byKey.values()) {
      for (const member of members) if (!member.isBusy) idle.push(member);
    }
    if (idle.length <= this.#options.maxIdleIsolates) return;
    idle.sort((left, right) => left.lastUsedAt - right.lastUsedAt);
    for (const member of idle.slice(0, idle.length - this.#options.maxIdleIsolates)) this.#retire(member);
  }
}
