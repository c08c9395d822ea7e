import { type CrashKind, classifyCrash } from '../classify-crash.ts';
import { ForkedChild, type ForkOptions, type SupervisedChild } from './forked-child.ts';

export type { SupervisedChild } from './forked-child.ts';

const STDERR_DRAIN_MS = 1_000;
/** How long a stopping child may take to leave by itself (disposing its isolates) before SIGKILL. */
const DEFAULT_STOP_GRACE_MS = 2_000;

/** How a request ended: the child's reply, or the kind of crash that took the child under it. */
export type SupervisedOutcome<Reply> = { readonly reply: Reply } | { readonly crashed: CrashKind };

export interface ChildProcessSupervisorOptions<Outgoing, Incoming, Reply> extends ForkOptions {
  /** Checks a message from the child, which may run untrusted code; `undefined` drops it. */
  readonly parse: (raw: unknown) => Incoming | undefined;
  /** The child's first message: requests wait for it, so none is sent before the child listens. */
  readonly isReady: (message: Incoming) => boolean;
  /** The request a message answers, when it is a reply. */
  readonly replyOf: (message: Incoming) => { readonly requestId: string; readonly reply: Reply } | undefined;
  /** Every other message, with the child that sent it. */
  readonly onMessage?: (message: Incoming, from: SupervisedChild<Outgoing>) => void;
  /** The request a dying child named as its cause, for a child serving several at once. */
  readonly blame?: (stderrTail: string) => string | undefined;
  readonly stopGraceMs?: number;
}

interface InFlight<Reply> {
  readonly settle: (outcome: SupervisedOutcome<Reply>) => void;
  /** Set when the wall-clock guard killed the child for this request. */
  isTimedOut: boolean;
}

type Child<Outgoing, Reply> = ForkedChild<Outgoing, InFlight<Reply>>;

/**
 * One Node child process at a time, forked lazily (or warmed ahead of need) and replaced on the
 * next use after it dies. Requests are tracked per child, so a child's death settles exactly
 * the requests sent to it, through the crash classifier: the one it names (or the only one in
 * flight) gets the classified kind, bystanders `SandboxCrashed`, and one whose wall-clock guard
 * fired (the guard kills the child) `TimeoutExceeded`. Every request settles: nothing waits on a
 * dead or wedged child. What the messages mean is the user's; the supervisor only routes them.
 */
export class ChildProcessSupervisor<Outgoing, Incoming, Reply> {
  readonly #options: ChildProcessSupervisorOptions<Outgoing, Incoming, Reply>;
  #child: Child<Outgoing, Reply> | undefined;

  constructor(options: ChildProcessSupervisorOptions<Outgoing, Incoming, Reply>) {
    this.#options = options;
  }

  /** A child is started or starting and not known dead: the next request skips the cold start. */
  get isStarted(): boolean {
    return this.#child !== undefined;
  }

  get pid(): number | undefined {
    return this.#child?.process.pid;
  }

  warm(): void {
    this.#ensureChild();
  }

  /**
   * Sends one request and settles with its reply or the child's crash. With `guardMs`, a request
   * that has not settled by then has its child killed (and every other request on it answered).
   */
  request(
    requestId: string,
    message: Outgoing,
    options: { guardMs?: number } = {},
  ): Promise<SupervisedOutcome<Reply>> {
    const child = this.#ensureChild();
    return new Promise<SupervisedOutcome<Reply>>((resolve) => {
      let guard: NodeJS.Timeout | undefined;
      const entry: InFlight<Reply> = {
        isTimedOut: false,
        settle: (outcome) => {
          if (child.inFlight.get(requestId) !== entry) return;
          child.inFlight.delete(requestId);
          clearTimeout(guard);
          resolve(outcome);
        },
      };
      // What an idle child wrote is about no request: evidence starts with the first one in flight.
      if (child.inFlight.size === 0) child.stderrTail = '';
      child.inFlight.set(requestId, entry);
      if (options.guardMs !== undefined) {
        guard = setTimeout(() => {
          entry.isTimedOut = true;
          child.process.kill('SIGKILL');
        }, options.guardMs);
      }
      void child.isListening.then((isListening) => {
        // A child that died first has settled the request already, when it closed.
        if (!isListening || !child.isServing(requestId)) return;
        child.sendRequest(message, () => entry.settle({ crashed: 'SandboxCrashed' }));
      });
    });
  }

  /** Ends the child; requests in flight on it answer `SandboxCrashed`. The next request starts anew. */
  async stop(): Promise<void> {
    const child = this.#child;
    this.#child = undefined;
    if (!child) return;
    for (const entry of [...child.inFlight.values()]) entry.settle({ crashed: 'SandboxCrashed' });
    await child.stop(this.#options.stopGraceMs ?? DEFAULT_STOP_GRACE_MS);
  }

  #ensureChild(): Child<Outgoing, Reply> {
    this.#child ??= this.#fork();
    return this.#child;
  }

  #fork(): Child<Outgoing, Reply> {
    const options = this.#options;
    const child: Child<Outgoing, Reply> = new ForkedChild(options);
    const childProcess = child.process;
    childProcess.on('message', (raw: unknown) => {
      const message = options.parse(raw);
      if (message === undefined) return;
      if (options.isReady(message)) {
        child.markListening(true);
        return;
      }
      const reply = options.replyOf(message);
      // Looked up on the sender only: a reply from a replaced child never settles a newer one's request.
      if (reply) child.inFlight.get(reply.requestId)?.settle({ reply: reply.reply });
      else options.onMessage?.(message, child);
    });
    // Dead or deaf: the next request forks a new child, without waiting for stderr to drain.
    const retire = () => {
      if (this.#child === child) this.#child = undefined;
      child.markListening(false);
    };
    childProcess.once('disconnect', retire);
    // Settled on 'close', once stderr has drained (V8's last words are in the tail by then), or
    // soon after 'exit' if something else holds stderr open: a request never waits on a pipe.
    childProcess.once('exit', (exitCode: number | null, signal: NodeJS.Signals | null) => {
      retire();
      const drained = setTimeout(() => this.#settleCrashed(child, exitCode, signal), STDERR_DRAIN_MS);
      childProcess.once('close', () => {
        clearTimeout(drained);
        this.#settleCrashed(child, exitCode, signal);
      });
    });
    childProcess.on('error', () => {
      // A failed send is answered by its own callback; a child that never spawned gets no 'close'.
      if (childProcess.pid !== undefined) return;
      retire();
      this.#settleCrashed(child, null, null);
    });
    return child;
  }

  #settleCrashed(
    child: Child<Outgoing, Reply>,
    exitCode: number | null,
    signal: NodeJS.Signals | null,
  ): void {
    const victims = [...child.inFlight];
    const blamed = this.#options.blame?.(child.stderrTail);
    for (const [requestId, entry] of victims) {
      const isCulprit = blamed === requestId || (blamed === undefined && victims.length === 1);
      entry.settle({
        crashed:
          isCulprit || entry.isTimedOut
            ? classifyCrash({ exitCode, signal, stderrTail: child.stderrTail, timedOut: entry.isTimedOut })
            : 'SandboxCrashed',
      });
    }
  }
}
