import { runCli } from '../../apps/cli/cli.ts';

export interface CliRun {
  readonly code: number;
  readonly stdout: string;
  readonly stderr: string;
}

/** `gradiant-plugins ...argv` in `cwd`, in this process, with its output captured. */
export async function runCliIn(cwd: string, ...argv: string[]): Promise<CliRun> {
  let stdout = '';
  let stderr = '';
  const code = await runCli(argv, {
    stdout: (text) => {
      stdout += text;
    },
    stderr: (text) => {
      stderr += text;
    },
    env: {},
    fetch: globalThis.fetch,
    cwd,
  });
  return { code, stdout, stderr };
}
