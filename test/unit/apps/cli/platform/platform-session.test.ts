import { chmodSync, mkdirSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import { describe, expect, it } from 'vitest';
import { anInstallation } from '../../../../support/installation-factory.ts';
import { ENDPOINT, platformCli } from '../../../../support/platform-cli.ts';
import { json, problem } from '../../../../support/scripted-fetch.ts';

const saveProfiles = (configFile: string, profiles: Record<string, unknown>) => {
  mkdirSync(dirname(configFile), { recursive: true });
  writeFileSync(configFile, JSON.stringify({ profiles }), { mode: 0o600 });
};

describe('platform command sessions', () => {
  it('takes the endpoint from the flag over GRADIANT_ENDPOINT over the profile', async () => {
    const profile = { default: { endpoint: 'https://profile.test', token: { env: 'UNSET_VARIABLE' } } };
    const withProfile = platformCli([json(200, anInstallation())], { GRADIANT_TOKEN: 'env-token' });
    const withEnv = platformCli([json(200, anInstallation()), json(200, anInstallation())], {
      GRADIANT_TOKEN: 'env-token',
      GRADIANT_ENDPOINT: 'https://env.test',
    });
    saveProfiles(withProfile.configFile, profile);
    saveProfiles(withEnv.configFile, profile);

    const codes = [
      (await withProfile.run(['disable', 'p1'])).code,
      (await withEnv.run(['disable', 'p1'])).code,
      (await withEnv.run(['disable', 'p1', '--endpoint', 'https://flag.test'])).code,
    ];

    expect(codes).toEqual([0, 0, 0]);
    expect(withProfile.sent[0]?.url.origin).toBe('https://profile.test');
    expect(withProfile.sent[0]?.headers.authorization).toBe('Bearer env-token');
    expect(withEnv.sent.map((request) => request.url.origin)).toEqual([
      'https://env.test',
      'https://flag.test',
    ]);
  });

  it("uses the profile's token source when GRADIANT_TOKEN is not set, running its command once", async () => {
    const cli = platformCli([json(200, anInstallation()), json(200, anInstallation())], {});
    saveProfiles(cli.configFile, {
      staging: {
        endpoint: ENDPOINT,
        token: { command: `node -e "process.stdout.write('{\\"access_token\\":\\"cmd-token\\"}')"` },
      },
    });

    const disabled = await cli.run(['disable', 'p1', '--profile', 'staging']);

    expect(disabled.code).toBe(0);
    expect(cli.sent.map((request) => request.headers.authorization)).toEqual(['Bearer cmd-token']);
  });

  it('exits 2 without any token, and for a named profile that does not exist', async () => {
    const cli = platformCli([], {});

    const noToken = await cli.run(['disable', 'p1']);
    const noProfile = await cli.run(['disable', 'p1', '--profile', 'prod']);
    const badEndpoint = await platformCli([], { GRADIANT_TOKEN: 't' }).run([
      'disable',
      'p1',
      '--endpoint',
      'http://evil.test',
    ]);

    expect([noToken.code, noProfile.code, badEndpoint.code]).toEqual([2, 2, 2]);
    expect(noToken.stderr).toContain('GRADIANT_TOKEN');
    expect(noProfile.stderr).toContain('no profile "prod"');
    expect(badEndpoint.stderr).toContain('https');
    expect(cli.sent).toEqual([]);
  });

  it('names the status, problem code, endpoint and each field of a refusal, and exits 1', async () => {
    const cli = platformCli([
      problem(400, {
        code: 'VALIDATION_FAILED',
        detail: 'The request is not valid.',
        errors: [{ field: 'grants[0]', message: 'not requested by the plugin' }],
      }),
    ]);

    const refused = await cli.run(['enable', 'p1', '--grant', 'read:patients']);

    expect(refused.code).toBe(1);
    expect(refused.stderr).toBe(
      `error: 400 VALIDATION_FAILED from ${ENDPOINT}: The request is not valid.\n  grants[0]: not requested by the plugin\n`,
    );
  });

  it('exits 3 when the platform cannot be reached', async () => {
    const refusedConnection = Object.assign(new TypeError('fetch failed'), {
      cause: { code: 'ECONNREFUSED' },
    });
    const cli = platformCli([refusedConnection, refusedConnection, refusedConnection, refusedConnection]);

    const unreachable = await cli.run(['uninstall', 'p1']);

    expect(unreachable.code).toBe(3);
    expect(unreachable.stderr).toBe(`error: could not reach ${ENDPOINT} (ECONNREFUSED)\n`);
  });

  it('refuses a config file others can write, or one that is not valid, with exit 2 and no request', async () => {
    const writable = platformCli([], {});
    saveProfiles(writable.configFile, { default: { endpoint: ENDPOINT, token: { command: 'echo t' } } });
    chmodSync(writable.configFile, 0o666);
    const broken = platformCli([], {});
    saveProfiles(broken.configFile, {});
    writeFileSync(broken.configFile, '{"profiles": {"default": {"endpoint": "ftp://x"');

    const runs = [await writable.run(['disable', 'p1']), await broken.run(['disable', 'p1'])];

    expect(runs.map((run) => run.code)).toEqual([2, 2]);
    expect(runs[0]?.stderr).toContain('is writable by others');
    expect(runs[1]?.stderr).toContain('is not valid JSON');
    expect([...writable.sent, ...broken.sent]).toEqual([]);
  });
});
