import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { keygenCommand } from '../../apps/cli/commands/keygen.ts';
import { publishCommand } from '../../apps/cli/commands/publish.ts';
import type { CommandIo } from '../../apps/cli/commands/publish-cli-types.ts';
import {
  jsonOf,
  type LocalPlatformProcess,
  startLocalPlatformProcess,
} from '../support/local-platform-process.ts';

const PLUGIN_ID = 'e2e-scan-glance';
const plugin = (label: string) =>
  `export default { async execute() { return { label: ${JSON.stringify(label)} }; } };\n`;
// A hand-made bundle: jQuery's real banner around a stand-in body, declared nowhere.
const BUNDLED_JQUERY = `/*! jQuery v1.8.3 jquery.com | jquery.org/license */
var bundledJquery = (function () { return { fn: {} }; })();
${plugin('with-jquery')}`;
const SBOM = {
  bomFormat: 'CycloneDX',
  specVersion: '1.6',
  components: [{ type: 'library', name: 'left-pad', version: '1.3.0', purl: 'pkg:npm/left-pad@1.3.0' }],
};
const NOTES = 'Adds a trend line to the glance.';

describe('dependency scanning and release notes over HTTP against the local platform', () => {
  let platform: LocalPlatformProcess;
  let hospital: Record<string, string>;
  let publisherToken: string;
  const workspace = mkdtempSync(join(tmpdir(), 'marketplace-scan-e2e-'));
  const keyFile = join(workspace, 'publisher-key.pem');

  /** The real CLI `publish`, with optional --sbom and --release-notes files. */
  async function cliPublish(version: string, code: string, extra: { sbom?: unknown; notes?: string } = {}) {
    const artifact = join(workspace, `plugin-${version}.js`);
    writeFileSync(artifact, code);
    const manifest = join(workspace, `manifest-${version}.json`);
    writeFileSync(
      manifest,
      JSON.stringify({
        id: PLUGIN_ID,
        version,
        metadata: {
          name: 'Scan Glance',
          description: 'Shows a glance, scanned for bundled libraries.',
          author: 'E2E Labs',
          permissions: ['read:patients'],
          tags: ['scan'],
        },
      }),
    );
    const argv = [artifact, '--manifest', manifest, '--key', keyFile, '--endpoint', platform.url];
    if (extra.sbom !== undefined) {
      writeFileSync(join(workspace, `sbom-${version}.json`), JSON.stringify(extra.sbom));
      argv.push('--sbom', join(workspace, `sbom-${version}.json`));
    }
    if (extra.notes !== undefined) {
      writeFileSync(join(workspace, `notes-${version}.txt`), `${extra.notes}\n`);
      argv.push('--release-notes', join(workspace, `notes-${version}.txt`));
    }
    const out: string[] = [];
    const err: string[] = [];
    const io: CommandIo = {
      stdout: (text) => out.push(text),
      stderr: (text) => err.push(text),
      env: { GRADIANT_TOKEN: publisherToken },
      fetch,
    };
    const exitCode = await publishCommand.run(argv, io);
    return { exitCode, out: out.join(''), err: err.join('') };
  }

  const get = async (path: string) => jsonOf(await fetch(`${platform.url}${path}`, { headers: hospital }));

  beforeAll(async () => {
    platform = await startLocalPlatformProcess();
    publisherToken = await platform.token('e2e-scan-labs', ['marketplace:publish'], 'author');
    const scopes = ['plugins:admin', 'plugins:read'];
    hospital = { authorization: `Bearer ${await platform.token('t-scan-hospital', scopes, 'admin')}` };
    await keygenCommand.run(['--out', workspace], { stdout: () => {}, stderr: () => {}, env: {}, fetch });
  });

  afterAll(async () => {
    await platform?.stop();
  });

  it('refuses a bundle with an undeclared vulnerable library, naming package, version, advisory and severity', async () => {
    const published = await cliPublish('0.9.0', BUNDLED_JQUERY);
    expect(published.exitCode).toBe(1);
    expect(published.err).toContain('VULNERABLE_DEPENDENCY');

    // The same refusal as a problem body, straight over HTTP (the CLI prints its detail).
    const response = await fetch(`${platform.url}/v1/marketplace/plugins`, {
      method: 'POST',
      headers: { authorization: `Bearer ${publisherToken}`, 'content-type': 'application/json' },
      body: JSON.stringify({
        id: PLUGIN_ID,
        version: '0.9.1',
        code: BUNDLED_JQUERY,
        metadata: { name: 'Scan Glance', description: 'x', author: 'E2E Labs', permissions: [] },
        signature: { keyId: 'pk_unused', signature: 'AAAAAAAAAAAA' },
      }),
    });
    const problem = await jsonOf(response);

    expect(response.status).toBe(422);
    expect(problem.code).toBe('VULNERABLE_DEPENDENCY');
    expect(problem.detail).toMatch(
      /jquery@1\.8\.3 is affected by advisory GHSA-[a-z0-9-]+ \((low|moderate|high|critical)\)/,
    );
    expect(problem.findings).toContainEqual({
      package: 'jquery',
      version: '1.8.3',
      advisoryId: 'GHSA-rmxg-73gg-4p98',
      severity: 'moderate',
    });
  });

  it('publishes with an SBOM and release notes, and shows the notes on the page, versions and updates', async () => {
    expect(await cliPublish('1.0.0', plugin('1.0.0'))).toMatchObject({ exitCode: 0 });
    const install = await fetch(
      `${platform.url}/v1/marketplace/plugins/${PLUGIN_ID}/versions/1.0.0/install`,
      {
        method: 'POST',
        headers: hospital,
      },
    );
    expect(install.status).toBe(201);

    const published = await cliPublish('1.1.0', plugin('1.1.0'), { sbom: SBOM, notes: NOTES });

    expect(published).toMatchObject({ exitCode: 0 });
    expect(JSON.parse(published.out)).toMatchObject({ version: '1.1.0', releaseNotes: NOTES });
    const page = await get(`/v1/marketplace/plugins/${PLUGIN_ID}`);
    expect(page.releaseNotes).toBe(NOTES);
    const versions = await get(`/v1/marketplace/plugins/${PLUGIN_ID}/versions`);
    expect(versions.items).toEqual(
      expect.arrayContaining([expect.objectContaining({ version: '1.1.0', releaseNotes: NOTES })]),
    );
    const updates = await get('/v1/plugins/updates');
    expect(updates.items).toContainEqual(
      expect.objectContaining({ pluginId: PLUGIN_ID, latestVersion: '1.1.0', releaseNotes: NOTES }),
    );
  });
});
