import { type ChildProcess, spawn } from 'node:child_process';
import { chmodSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const REPOSITORY = fileURLToPath(new URL('../../', import.meta.url));
const RESOLVE_HOOK = fileURLToPath(new URL('./docs-block-resolve-hook.ts', import.meta.url));

export interface BlockRun {
  readonly exitCode: number | null;
  readonly stdout: string;
  readonly stderr: string;
}

/** The environment a reader's terminal starts with: the repository's Node 24 first on PATH. */
export function readerEnvironment(): Record<string, string> {
  return {
    PATH: `${join(REPOSITORY, 'node_modules', '.bin')}:${process.env.PATH ?? '/usr/bin:/bin'}`,
    HOME: process.env.HOME ?? '/tmp',
    LANG: 'C.UTF-8',
  };
}

/**
 * Puts the repository's `gradiant-plugins` bin on the reader's PATH (as `npm i -g` of the tarball
 * would, from the sources, so the guide is checked against the code as it is now) and gives the
 * terminal its own config folder, so `login` writes no profile into the real home.
 */
export function installReaderCli(env: Record<string, string>, workDirectory: string): void {
  const bin = join(workDirectory, '.bin');
  mkdirSync(bin, { recursive: true });
  const shim = join(bin, 'gradiant-plugins');
  const main = join(REPOSITORY, 'apps', 'cli', 'main.ts');
  writeFileSync(shim, `#!/bin/sh\nexec node ${JSON.stringify(main)} "$@"\n`);
  chmodSync(shim, 0o755);
  env.PATH = `${bin}:${env.PATH}`;
  env.XDG_CONFIG_HOME = join(workDirectory, '.config');
}

function run(command: string, args: readonly string[], cwd: string, env: Record<string, string>) {
  return new Promise<BlockRun>((resolve, reject) => {
    const child = spawn(command, args, { cwd, env, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString('utf8')));
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString('utf8')));
    child.on('error', reject);
    child.on('close', (exitCode) => resolve({ exitCode, stdout, stderr }));
  });
}

/** The folder the terminal is in: where the last shell block `cd`'d to (its `PWD`), else the start. */
const currentDirectory = (workDirectory: string, env: Record<string, string>) => env.PWD ?? workDirectory;

/**
 * Runs a shell block as the next command in one terminal: in the folder and with the variables the
 * blocks before it left (`env` is updated with what it exports, `PWD` included), `set -euo pipefail`
 * so a failing command or an unset variable fails the block.
 */
export async function runShellBlock(code: string, workDirectory: string, env: Record<string, string>) {
  const environmentFile = join(workDirectory, 'environment');
  const script = `set -euo pipefail\n${code}\nenv -0 > ${JSON.stringify(environmentFile)}\n`;
  const result = await run('bash', ['-c', script], currentDirectory(workDirectory, env), env);
  if (result.exitCode === 0) {
    const exported = readFileSync(environmentFile, 'utf8').split('\0').filter(Boolean);
    for (const entry of exported) {
      const equals = entry.indexOf('=');
      env[entry.slice(0, equals)] = entry.slice(equals + 1);
    }
  }
  return result;
}

/**
 * Where a TypeScript block's imports come from: `repository` maps `gradiant-plugins/client` to the
 * SDK's source and bare imports to the repository's dependencies (a guide checked against the code
 * as it is now); `installed` resolves them as Node does, from the packages installed in the
 * terminal's folder (a quick start that installed the packed tarball).
 */
export type ImportSource = 'repository' | 'installed';

function writeTypeScriptBlock(
  code: string,
  directory: string,
  name: string,
  imports: ImportSource,
): string[] {
  const file = join(directory, `${name}.ts`);
  writeFileSync(file, code);
  return imports === 'repository' ? ['--import', RESOLVE_HOOK, file] : [file];
}

/** Runs a TypeScript block with Node 24 (type stripping), importing the SDK by its package name. */
export function runTypeScriptBlock(
  code: string,
  workDirectory: string,
  name: string,
  env: Record<string, string>,
  imports: ImportSource = 'repository',
) {
  const directory = currentDirectory(workDirectory, env);
  return run('node', writeTypeScriptBlock(code, directory, name, imports), directory, env);
}

export interface BackgroundBlock {
  readonly process: ChildProcess;
  output(): string;
  /** Resolves once the output satisfies `isDone`, re-checked on each chunk and on each `tick()` call. */
  until(isDone: (output: string) => boolean, tick: () => Promise<void>): Promise<string>;
  stop(): void;
}

/** Starts a TypeScript block that keeps running (a server); resolves once it printed its first line. */
export async function startBackgroundBlock(
  code: string,
  workDirectory: string,
  name: string,
  env: Record<string, string>,
  imports: ImportSource = 'repository',
): Promise<BackgroundBlock> {
  const directory = currentDirectory(workDirectory, env);
  const child = spawn('node', writeTypeScriptBlock(code, directory, name, imports), {
    cwd: directory,
    env,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stdout = '';
  let stderr = '';
  let wake: (() => void) | undefined;
  child.stdout.on('data', (chunk: Buffer) => {
    stdout += chunk.toString('utf8');
    wake?.();
  });
  child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString('utf8')));
  await new Promise<void>((resolve, reject) => {
    const onData = () => stdout.includes('\n') && resolve();
    child.stdout.on('data', onData);
    child.on('exit', (code) => reject(new Error(`the block exited (${code}) before printing: ${stderr}`)));
  });
  return {
    process: child,
    output: () => stdout,
    async until(isDone, tick) {
      while (!isDone(stdout)) {
        if (child.exitCode !== null) throw new Error(`the block exited (${child.exitCode}): ${stderr}`);
        await tick();
        // Woken by new output, or after a moment to tick again (deliveries wait on the platform's timers).
        await new Promise<void>((resolve) => {
          const timer = setTimeout(resolve, 200);
          wake = () => {
            clearTimeout(timer);
            resolve();
          };
        });
        wake = undefined;
      }
      return stdout;
    },
    stop: () => {
      if (child.exitCode === null && child.pid !== undefined) process.kill(child.pid);
    },
  };
}
