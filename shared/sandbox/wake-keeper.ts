import { Worker } from 'node:worker_threads';

/** How long the keeper stays busy after the last host call before it sleeps again. */
const BUSY_AFTER_ACTIVITY_MS = 2;
const ACTIVITY = 0;
const STOP = 1;

/**
 * The worker shares nothing with any isolate: it sees one two-slot counter and nothing else. It
 * lowers its own priority (Linux: `/proc/thread-self` names its thread id), so any runnable thread
 * preempts it and it only ever uses a CPU that would otherwise sit idle; where it cannot, it exits
 * at once and the sandbox runs exactly as without it.
 */
const KEEPER_SOURCE = `
const { workerData } = require('node:worker_threads');
const state = new Int32Array(workerData);
let lowered = false;
try {
  const tid = Number(require('node:fs').readlinkSync('/proc/thread-self').split('/').pop());
  if (Number.isInteger(tid) && tid > 0 && tid !== process.pid) {
    require('node:os').setPriority(tid, 19);
    lowered = require('node:os').getPriority(tid) === 19;
  }
} catch {}
// Without the lowest priority it could take CPU from real work: then it does nothing at all.
if (!lowered) process.exit(0);
const now = () => performance.now();
let seen = Atomics.load(state, ${ACTIVITY});
let until = now() + ${BUSY_AFTER_ACTIVITY_MS};
while (Atomics.load(state, ${STOP}) === 0) {
  const activity = Atomics.load(state, ${ACTIVITY});
  if (activity !== seen) {
    seen = activity;
    until = now() + ${BUSY_AFTER_ACTIVITY_MS};
  } else if (now() > until) {
    Atomics.wait(state, ${ACTIVITY}, seen);
  }
}
`;

/**
 * Host calls hop between the main thread and isolated-vm's threads several times per round trip.
 * On a virtual machine, waking a thread on an idle (halted) vCPU costs tens of microseconds per
 * hop, which dominates the round trip. While host calls are flowing, a lowest-priority worker
 * keeps one CPU from halting, so those wake-ups take the fast path; it sleeps again shortly after
 * the last call. It touches no sandbox state; at nice 19 it gets only a sliver of a busy CPU.
 */
class WakeKeeper {
  #state: Int32Array | undefined;
  #worker: Worker | undefined;
  #failed = false;
  #users = 0;

  /** One per sandbox: the worker lives while any sandbox does. */
  retain(): void {
    this.#users++;
  }

  release(): void {
    this.#users = Math.max(0, this.#users - 1);
    if (this.#users === 0) this.#stop();
  }

  /** Marks host-call activity; starts the worker on first use. Never throws. */
  touch(): void {
    if (this.#users === 0) return;
    const state = this.#state ?? this.#start();
    if (!state) return;
    Atomics.add(state, ACTIVITY, 1);
    Atomics.notify(state, ACTIVITY, 1);
  }

  #start(): Int32Array | undefined {
    if (this.#failed) return undefined;
    try {
      const state = new Int32Array(new SharedArrayBuffer(8));
      const worker = new Worker(KEEPER_SOURCE, {
        eval: true,
        workerData: state.buffer,
        resourceLimits: { maxOldGenerationSizeMb: 8, maxYoungGenerationSizeMb: 2 },
        stdout: true,
        stderr: true,
      });
      worker.unref();
      // A keeper that fails or exits on its own (no way to lower its priority) is not restarted.
      worker.on('error', () => {
        this.#failed = true;
        this.#stop();
      });
      worker.on('exit', () => {
        if (this.#worker === worker) {
          this.#failed = true;
          this.#worker = undefined;
          this.#state = undefined;
        }
      });
      this.#state = state;
      this.#worker = worker;
      return state;
    } catch {
      this.#failed = true;
      return undefined;
    }
  }

  #stop(): void {
    const state = this.#state;
    const worker = this.#worker;
    this.#state = undefined;
    this.#worker = undefined;
    if (state) {
      Atomics.store(state, STOP, 1);
      Atomics.notify(state, ACTIVITY);
    }
    worker?.terminate().then(undefined, () => {});
  }
}

export const wakeKeeper = new WakeKeeper();
