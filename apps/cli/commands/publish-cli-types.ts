import type { Clock } from '../../../shared/ports/clock.ts';

/** What a CLI command gets from the entry point: its arguments and the process's streams and env. */
export interface CommandIo {
  readonly stdout: (text: string) => void;
  readonly stderr: (text: string) => void;
  readonly env: Readonly<Record<string, string | undefined>>;
  /** Injected so tests can point the CLI at a handler or a local server. */
  readonly fetch: typeof fetch;
  /** Signs key proofs at this time; the system clock when absent. */
  readonly clock?: Clock | undefined;
}

export interface CliCommand {
  readonly name: string;
  readonly summary: string;
  readonly usage: string;
  /** 0 success, 1 the operation failed (server refusal, bad input file), 2 usage error. */
  run(argv: readonly string[], io: CommandIo): Promise<number>;
}

export const EXIT_OK = 0;
export const EXIT_FAILED = 1;
export const EXIT_USAGE = 2;

export class UsageError extends Error {}
