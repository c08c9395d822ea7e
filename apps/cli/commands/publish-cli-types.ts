import type { Command } from 'commander';
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
  /** Whether stderr is a terminal (progress is shown there only then, or with `--progress`). */
  readonly isStderrTerminal?: boolean | undefined;
  /** Where relative paths start; the process's working directory when absent. */
  readonly cwd?: string | undefined;
}

/** Commander's parsed operands (declared arguments, in order) and options of one command. */
export interface ParsedCommand {
  readonly args: readonly unknown[];
  readonly options: Readonly<Record<string, unknown>>;
}

/** A command as it is declared: commander gets its arguments and options, `action` does the work. */
export interface CommandSpec {
  /** One word, or a group and a subcommand (`audit verify`). */
  readonly name: string;
  readonly summary: string;
  /** Declares the arguments and options (each with its help text) on commander's command. */
  configure(command: Command): void;
  /**
   * 0 success, 1 the operation failed (server refusal, bad input file), 2 usage error (throw
   * `UsageError`), 3 the platform could not be reached.
   */
  action(parsed: ParsedCommand, io: CommandIo): Promise<number>;
}

export interface CliCommand extends CommandSpec {
  /** Runs this command alone, as `gradiant-plugins <name> ...argv` would. */
  run(argv: readonly string[], io: CommandIo): Promise<number>;
}

export const EXIT_OK = 0;
export const EXIT_FAILED = 1;
export const EXIT_USAGE = 2;
/** The platform could not be reached (DNS, refused connection, TLS, timeout): worth retrying later. */
export const EXIT_UNREACHABLE = 3;

export class UsageError extends Error {}
