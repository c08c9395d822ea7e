import { type ChildProcess, spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { watchResponses } from './response-contract.ts';

/** A running local platform, in this process or in its own, as the HTTP-only helpers drive it. */
export interface RunningPlatform {
  readonly url: string;
  readonly dataDirectory: string;
  token(tenantId: string, scopes: readonly string[], subject?: string): Promise<string>;
  stop(options?: { keepData?: boolean }): Promise<void>;
}

export interface LocalPlatformProcess extends RunningPlatform {
  /** Everything the process wrote to stdout and stderr so far (its log lines). */
  output(): string;
}

const MAIN = resolve(import.meta.dirname, '../../apps/local-platform/main.ts');

/**
 * Starts `apps/local-platform/main.ts` exactly as `npm start` does (same Node, same flags) on a
 * free port with its own data directory, and talks to it over HTTP only.
 */
export async function startLocalPlatformProcess(
  options: { dataDirectory?: string; env?: Record<string, string> } = {},
): Promise<LocalPlatformProcess> {
  const dataDirectory = options.dataDirectory ?? mkdtempSync(join(tmpdir(), 'gradiant-e2e-'));
  const child: ChildProcess = spawn(
    process.execPath,
    ['--no-node-snapshot', MAIN, '--port', '0', '--data-dir', dataDirectory],
    { stdio: ['ignore', 'pipe', 'pipe'], env: { ...process.env, ...options.env } },
  );
  let output = '';
  const url = await new Promise<string>((resolveUrl, reject) => {
    const timer = setTimeout(() => reject(new Error(`local platform did not start:\n${output}`)), 60_000);
    let isListening = false;
    const onData = (chunk: Buffer) => {
      output += chunk.toString();
      if (isListening) return;
      const match = /listening on (http:\/\/\S+)/.exec(output);
      if (match?.[1]) {
        isListening = true;
        clearTimeout(timer);
        resolveUrl(match[1]);
      }
    };
    child.stdout?.on('data', onData);
    child.stderr?.on('data', onData);
    child.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`local platform exited with ${code}:\n${output}`));
    });
  });

  watchResponses(url);
  return {
    url,
    dataDirectory,
    output: () => output,
    async token(tenantId, scopes, subject = 'e2e-user') {
      const query = new URLSearchParams({ tenant: tenantId, sub: subject, scopes: scopes.join(',') });
      const response = await fetch(`${url}/local/dev-token?${query}`);
      return ((await response.json()) as { access_token: string }).access_token;
    },
    async stop({ keepData = false } = {}) {
      if (child.exitCode === null) {
        const exited = new Promise((done) => child.once('exit', done));
        child.kill('SIGTERM');
        await exited;
      }
      if (!keepData && !options.dataDirectory) rmSync(dataDirectory, { recursive: true, force: true });
    },
  };
}

/** Response bodies in e2e tests are asserted on, not typed: this keeps the assertions readable. */
// biome-ignore lint/suspicious/noExplicitAny: test-only convenience for asserting on JSON bodies
export const jsonOf = async (response: Response): Promise<any> => response.json();
