import { existsSync, readFileSync, statSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { anInstallation } from '../../../../support/installation-factory.ts';
import { searchResults } from '../../../../support/marketplace-view-factory.ts';
import { ENDPOINT, platformCli } from '../../../../support/platform-cli.ts';
import { json, problem } from '../../../../support/scripted-fetch.ts';

const SECRET = 'eyJ-secret-token-value';
// Stands in for an IdP CLI: the token comes from somewhere the command line does not show.
const printsToken = `node -e "process.stdout.write(process.env.IDP_SESSION)"`;

describe('gradiant-plugins login', () => {
  it('checks the token source against the API, then saves endpoint and source owner-only, never the token', async () => {
    const cli = platformCli([searchResults([])], { IDP_SESSION: SECRET });

    const login = await cli.run(['login', '--endpoint', ENDPOINT, '--token-command', printsToken, '--json']);

    expect(login.code).toBe(0);
    expect(
      cli.sent.map((request) => `${request.method} ${request.url.pathname}${request.url.search}`),
    ).toEqual(['GET /v1/marketplace/plugins?limit=1']);
    expect(cli.sent[0]?.headers.authorization).toBe(`Bearer ${SECRET}`);
    expect(statSync(cli.configFile).mode & 0o777).toBe(0o600);
    expect(readFileSync(cli.configFile, 'utf8')).not.toContain(SECRET);
    expect(JSON.parse(readFileSync(cli.configFile, 'utf8'))).toEqual({
      profiles: { default: { endpoint: ENDPOINT, token: { command: printsToken } } },
    });
    expect(JSON.parse(login.stdout)).toMatchObject({
      profile: 'default',
      endpoint: ENDPOINT,
      token: { command: printsToken },
      configFile: cli.configFile,
      checkedWith: 'GET /v1/marketplace/plugins?limit=1',
    });
  });

  it('saves a named profile that later commands use with --profile', async () => {
    const cli = platformCli([searchResults([]), json(200, anInstallation({ state: 'disabled' }))], {
      STAGING_TOKEN: 'staging-token',
    });

    const login = await cli.run([
      'login',
      '--profile',
      'staging',
      '--endpoint',
      ENDPOINT,
      '--token-env',
      'STAGING_TOKEN',
    ]);
    const disable = await cli.run(['disable', 'p1', '--profile', 'staging']);

    expect([login.code, disable.code]).toEqual([0, 0]);
    expect(login.stdout).toContain('saved profile "staging"');
    expect(cli.sent.map((request) => request.headers.authorization)).toEqual([
      'Bearer staging-token',
      'Bearer staging-token',
    ]);
    expect(disable.stdout).toBe('p1 1.0.0: disabled in tenant t-acme\n');
  });

  it('saves nothing when the API refuses the token, naming the code and the endpoint', async () => {
    const cli = platformCli([problem(401, { code: 'UNAUTHENTICATED', detail: 'The token is not valid.' })], {
      GRADIANT_TOKEN: 'expired',
    });

    const login = await cli.run(['login', '--endpoint', ENDPOINT]);

    expect(login.code).toBe(1);
    expect(login.stderr).toContain(`401 UNAUTHENTICATED from ${ENDPOINT}`);
    expect(existsSync(cli.configFile)).toBe(false);
  });

  it('exits 2 for both token sources at once, a bad variable name, or a token command that prints nothing usable', async () => {
    const cli = platformCli([], {});

    const both = await cli.run(['login', '--token-command', 'true', '--token-env', 'X']);
    const badName = await cli.run(['login', '--token-env', 'not a name']);
    const failing = await cli.run(['login', '--endpoint', ENDPOINT, '--token-command', 'exit 7']);

    expect([both.code, badName.code, failing.code]).toEqual([2, 2, 1]);
    expect(failing.stderr).toBe(`error: ${ENDPOINT}: the token command failed (exit 7)\n`);
    expect(cli.sent).toEqual([]);
    expect(existsSync(cli.configFile)).toBe(false);
  });
});
