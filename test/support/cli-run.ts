import { runCli } from '../../apps/cli/cli.ts';
import type { CommandSpec } from '../../apps/cli/commands/publish-cli-types.ts';

export interface CliRun {
  readonly code: number;
  readonly stdout: string;
  readonly stderr: string;
}

/** `gradiant-plugins ...argv` in this process, with its output captured (all commands unless given). */
export async function captureCli(
  argv: readonly string[],
  options: {
    readonly cwd?: string;
    readonly commands?: readonly CommandSpec[];
    readonly env?: Readonly<Record<string, string | undefined>>;
    readonly fetch?: typeof fetch;
    readonly isStderrTerminal?: boolean;
  } = {},
): Promise<CliRun> {
  let stdout = '';
  let stderr = '';
  const io = {
    stdout: (text: string) => {
      stdout += text;
    },
    stderr: (text: string) => {
      stderr += text;
    },
    env: options.env ?? {},
    fetch: options.fetch ?? globalThis.fetch,
    cwd: options.cwd,
    isStderrTerminal: options.isStderrTerminal,
  };
  const code = await (options.commands ? runCli(argv, io, options.commands) : runCli(argv, io));
  return { code, stdout, stderr };
}

/** `gradiant-plugins ...argv` run in the folder `cwd`. */
export const runCliIn = (cwd: string, ...argv: string[]): Promise<CliRun> => captureCli(argv, { cwd });
