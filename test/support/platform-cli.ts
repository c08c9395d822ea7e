import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { captureCli } from './cli-run.ts';
import { type ScriptedAnswer, scriptedFetch } from './scripted-fetch.ts';

export const ENDPOINT = 'https://plugins.example.test';

/**
 * The CLI's platform commands over a scripted server: each test gets its own config folder
 * (XDG_CONFIG_HOME), so profiles never touch the developer's own.
 */
export function platformCli(
  script: ScriptedAnswer[],
  env: Readonly<Record<string, string | undefined>> = {
    GRADIANT_TOKEN: 'token-1',
    GRADIANT_ENDPOINT: ENDPOINT,
  },
) {
  const configHome = mkdtempSync(join(tmpdir(), 'gradiant-config-'));
  const server = scriptedFetch(...script);
  return {
    configHome,
    configFile: join(configHome, 'gradiant-plugins', 'config.json'),
    sent: server.sent,
    remaining: server.remaining,
    run: (argv: readonly string[], options: { readonly isStderrTerminal?: boolean } = {}) =>
      captureCli(argv, { env: { XDG_CONFIG_HOME: configHome, ...env }, fetch: server.fetch, ...options }),
  };
}
