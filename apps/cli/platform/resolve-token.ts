import { exec } from 'node:child_process';
import { promisify } from 'node:util';
import type { TokenSourceConfig } from './cli-config.ts';

const run = promisify(exec);
const TOKEN_COMMAND_TIMEOUT_MS = 30_000;

/** No token could be had: the source is empty, or its command failed. */
export class TokenUnavailableError extends Error {}

/**
 * What a token command printed: a bare token, or an OAuth token response (`{"access_token": …}`,
 * what the local platform's dev-token route and most IdP CLIs print), so a plain curl works.
 */
function tokenOf(printed: string): string | undefined {
  const text = printed.trim();
  if (text.startsWith('{')) {
    try {
      const parsed: unknown = JSON.parse(text);
      const token = (parsed as { access_token?: unknown }).access_token;
      return typeof token === 'string' && token !== '' ? token : undefined;
    } catch {
      return undefined;
    }
  }
  return text !== '' && !/\s/.test(text) ? text : undefined;
}

/**
 * The token a profile's source gives now. A command runs through the shell (it is the user's own
 * configuration, like git's credential helpers); its stderr and output are never echoed, since
 * they may hold the token.
 */
export async function resolveToken(
  source: TokenSourceConfig,
  env: Readonly<Record<string, string | undefined>>,
  cwd: string | undefined,
): Promise<string> {
  if ('env' in source) {
    const token = env[source.env];
    if (!token) throw new TokenUnavailableError(`the environment variable ${source.env} is not set`);
    return token;
  }
  let stdout: string;
  try {
    ({ stdout } = await run(source.command, {
      env: { ...process.env, ...env },
      timeout: TOKEN_COMMAND_TIMEOUT_MS,
      maxBuffer: 1024 * 1024,
      ...(cwd ? { cwd } : {}),
    }));
  } catch (error) {
    const exitCode = (error as { code?: unknown }).code;
    throw new TokenUnavailableError(
      `the token command failed${typeof exitCode === 'number' ? ` (exit ${exitCode})` : ''}`,
    );
  }
  const token = tokenOf(stdout);
  if (!token) throw new TokenUnavailableError('the token command printed no token');
  return token;
}
