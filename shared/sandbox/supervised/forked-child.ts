import { type ChildProcess, fork, type Serializable } from 'node:child_process';

const STDERR_TAIL_CHARS = 16 * 1024;

/** The child a message came from, to answer it: never a newer child that replaced it. */
export interface SupervisedChild<Outgoing> {
  /** Sends to this child; false when it is gone. */
  send(message: Outgoing): boolean;
  /** Whether the request was sent to this child and has not been settled. */
  isServing(requestId: string): boolean;
}

export interface ForkOptions {
  readonly modulePath: string;
  /** Extra Node flags; `--no-node-snapshot` is always passed (isolated-vm needs it on Node ≥ 20). */
  readonly execArgv?: readonly string[];
  readonly env?: NodeJS.ProcessEnv;
  /** The child's stdout: dropped, or shown as this process's own. */
  readonly stdout?: 'ignore' | 'inherit';
  /** Also copy the child's stderr to this process's (it is always kept as a tail for the classifier). */
  readonly isStderrShown?: boolean;
}

/**
 * One forked Node process and what its supervisor knows of it: whether it listens yet, the
 * requests in flight on it, and the tail of its stderr (crash evidence, kept in memory only).
 */
export class ForkedChild<Outgoing, InFlight> implements SupervisedChild<Outgoing> {
  readonly process: ChildProcess;
  readonly inFlight = new Map<string, InFlight>();
  /** Settles true at the child's ready message, false if it dies or disconnects first. */
  readonly isListening: Promise<boolean>;
  stderrTail = '';
  #markListening: (isListening: boolean) => void = () => undefined;

  constructor(options: ForkOptions) {
    this.process = fork(options.modulePath, [], {
      execArgv: ['--no-node-snapshot', ...(options.execArgv ?? [])],
      ...(options.env ? { env: options.env } : {}),
      stdio: ['ignore', options.stdout ?? 'ignore', 'pipe', 'ipc'],
      serialization: 'json',
    });
    this.isListening = new Promise<boolean>((resolve) => {
      this.#markListening = resolve;
    });
    this.process.stderr?.on('data', (chunk: Buffer) => {
      if (options.isStderrShown) process.stderr.write(chunk);
      this.stderrTail = (this.stderrTail + chunk.toString('utf8')).slice(-STDERR_TAIL_CHARS);
    });
  }

  get hasExited(): boolean {
    return this.process.exitCode !== null || this.process.signalCode !== null;
  }

  markListening(isListening: boolean): void {
    this.#markListening(isListening);
  }

  isServing(requestId: string): boolean {
    return this.inFlight.has(requestId);
  }

  send(message: Outgoing): boolean {
    return this.sendRequest(message, () => undefined);
  }

  /** Sends one message; `onFailure` runs when it cannot be sent now or the channel fails to take it. */
  sendRequest(message: Outgoing, onFailure: () => void): boolean {
    if (!this.process.connected) {
      onFailure();
      return false;
    }
    try {
      this.process.send(message as Serializable, (error) => {
        if (error) onFailure();
      });
      return true;
    } catch {
      onFailure();
      return false;
    }
  }

  /** Tells the child by disconnecting, so it may leave by itself; a wedged one is killed after the grace. */
  async stop(graceMs: number): Promise<void> {
    if (this.hasExited) return;
    const exited = new Promise<void>((resolve) => this.process.once('exit', () => resolve()));
    if (this.process.connected) this.process.disconnect();
    const forced = setTimeout(() => this.process.kill('SIGKILL'), graceMs);
    await exited;
    clearTimeout(forced);
  }
}
