import { mkdtempSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { captureCli } from '../support/cli-run.ts';
import { type InProcessPlatform, startLocalPlatformInProcess } from '../support/local-platform-in-process.ts';

const PLUGIN = 'appointment-reminder';
const SCOPES = 'plugins:read,plugins:admin,plugins:invoke';

/**
 * A hospital admin at a terminal: `login` saves a profile whose token command fetches a dev
 * token from the local platform, then the CLI searches, installs, enables, invokes, reads usage
 * and disables over HTTP, each command resolving its token through that profile.
 */
describe('the CLI platform commands against the local platform', () => {
  let platform: InProcessPlatform;
  const configHome = mkdtempSync(join(tmpdir(), 'gradiant-e2e-config-'));
  // GRADIANT_TOKEN stays unset, so every token comes from the profile's command.
  const cli = (...argv: string[]) =>
    captureCli(argv, { env: { XDG_CONFIG_HOME: configHome, PATH: process.env.PATH } });

  beforeAll(async () => {
    platform = await startLocalPlatformInProcess({ seed: true });
  }, 120_000);

  afterAll(async () => {
    await platform?.stop();
  });

  it('logs in with a token command, then searches, installs, enables, invokes, reads usage and disables', async () => {
    const devToken = `${platform.url}/local/dev-token?tenant=t-acme&sub=cli-admin&scopes=${SCOPES}`;
    const tokenCommand = `node -e "fetch('${devToken}').then((r) => r.text()).then((t) => process.stdout.write(t))"`;

    const login = await cli(
      'login',
      '--profile',
      'local',
      '--endpoint',
      platform.url,
      '--token-command',
      tokenCommand,
      '--json',
    );
    const search = await cli('search', 'appointment', '--sort', 'downloads', '--profile', 'local', '--json');
    const table = await cli('search', 'appointment', '--profile', 'local');
    const install = await cli('install', PLUGIN, '--profile', 'local', '--json');
    const again = await cli('install', PLUGIN, '--profile', 'local');
    const enable = await cli('enable', PLUGIN, '--profile', 'local', '--json');
    const invoke = await cli(
      'invoke',
      PLUGIN,
      '--input',
      '{"patientId":"p-001","start":"2026-12-03T09:00:00Z"}',
      '--profile',
      'local',
      '--json',
    );
    const usage = await cli('usage', PLUGIN, '--interval', 'hour', '--profile', 'local', '--json');
    const disable = await cli('disable', PLUGIN, '--profile', 'local');

    expect(login.code).toBe(0);
    const configFile = join(configHome, 'gradiant-plugins', 'config.json');
    expect(statSync(configFile).mode & 0o777).toBe(0o600);
    expect(readFileSync(configFile, 'utf8')).not.toContain('access_token');
    expect(search.code).toBe(0);
    const found = JSON.parse(search.stdout) as { items: { pluginId: string; latestVersion: string }[] };
    expect(found.items.map((item) => item.pluginId)).toContain(PLUGIN);
    expect(table.stdout).toMatch(new RegExp(`^${PLUGIN}\\s`, 'm'));
    expect(install.code).toBe(0);
    expect(JSON.parse(install.stdout)).toMatchObject({
      pluginId: PLUGIN,
      tenantId: 't-acme',
      source: 'marketplace',
      state: 'installed',
      version: found.items.find((item) => item.pluginId === PLUGIN)?.latestVersion,
    });
    expect(again.code).toBe(1);
    expect(again.stderr).toMatch(new RegExp(`^error: 409 ALREADY_INSTALLED from ${platform.url}`));
    expect(JSON.parse(enable.stdout).state).toBe('enabled');
    expect(invoke.code).toBe(0);
    expect(JSON.parse(invoke.stdout).ok).toBe(true);
    expect(JSON.parse(usage.stdout)).toMatchObject({ pluginId: PLUGIN, invocations: 1, interval: 'hour' });
    expect(disable.code).toBe(0);
    expect(disable.stdout).toMatch(new RegExp(`^${PLUGIN} \\S+: disabled in tenant t-acme`));
  });

  it('names the endpoint and exits 3 when nothing listens there', async () => {
    const closed = createServer();
    await new Promise<void>((resolve) => closed.listen(0, '127.0.0.1', resolve));
    const { port } = closed.address() as AddressInfo;
    await new Promise((resolve) => closed.close(resolve));

    const unreachable = await captureCli(['disable', PLUGIN, '--endpoint', `http://127.0.0.1:${port}`], {
      env: { XDG_CONFIG_HOME: configHome, GRADIANT_TOKEN: 'any' },
    });

    expect(unreachable.code).toBe(3);
    expect(unreachable.stderr).toBe(`error: could not reach http://127.0.0.1:${port} (ECONNREFUSED)\n`);
  });

  it('publishes an artifact over the inline limit through the presigned upload, with progress', async () => {
    const workspace = mkdtempSync(join(tmpdir(), 'gradiant-e2e-publish-'));
    const artifact = join(workspace, 'index.js');
    writeFileSync(
      artifact,
      `export default { async execute() { return '${'x'.repeat(400 * 1024)}'.length; } };\n`,
    );
    const manifest = join(workspace, 'manifest.json');
    writeFileSync(
      manifest,
      JSON.stringify({
        id: 'cli-large-plugin',
        version: '1.0.0',
        metadata: { name: 'Large', description: 'A large artifact', author: 'CLI Labs', permissions: [] },
      }),
    );
    await captureCli(['keygen', '--out', workspace]);
    const env = { GRADIANT_TOKEN: await platform.token('cli-labs', ['marketplace:publish'], 'author') };

    const published = await captureCli(
      [
        'publish',
        artifact,
        '--manifest',
        manifest,
        '--key',
        join(workspace, 'publisher-key.pem'),
        '--endpoint',
        platform.url,
        '--progress',
      ],
      { env },
    );

    expect(published.stderr).toContain('uploading: 0/');
    expect(published.stderr).toMatch(/uploaded \d+ bytes\n/);
    expect(published.code).toBe(0);
    expect(JSON.parse(published.stdout)).toMatchObject({ pluginId: 'cli-large-plugin', version: '1.0.0' });
    expect(JSON.parse(published.stdout).sizeBytes).toBeGreaterThan(400 * 1024);
  });
});
