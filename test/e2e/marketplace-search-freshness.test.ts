import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { keygenCommand } from '../../apps/cli/commands/keygen.ts';
import { publishCommand } from '../../apps/cli/commands/publish.ts';
import {
  jsonOf,
  type LocalPlatformProcess,
  startLocalPlatformProcess,
} from '../support/local-platform-process.ts';

const TAG = 'freshness-e2e';
const silent = { stdout: () => undefined, stderr: () => undefined };

describe('marketplace search reflects installs and reviews at once (local platform over HTTP)', () => {
  let platform: LocalPlatformProcess;
  let hospital: Record<string, string>;
  let otherHospital: Record<string, string>;
  let publisherToken: string;
  const workspace = mkdtempSync(join(tmpdir(), 'search-freshness-e2e-'));

  const send = (method: string, path: string, headers: Record<string, string>, body?: unknown) =>
    fetch(`${platform.url}${path}`, {
      method,
      headers: { ...(body === undefined ? {} : { 'content-type': 'application/json' }), ...headers },
      ...(body === undefined ? {} : { body: JSON.stringify(body) }),
    });

  async function publish(id: string, name: string) {
    const artifact = join(workspace, `${id}.js`);
    writeFileSync(artifact, 'export default { async execute() { return { ok: true }; } };\n');
    const manifest = join(workspace, `${id}.json`);
    writeFileSync(
      manifest,
      JSON.stringify({
        id,
        version: '1.0.0',
        metadata: { name, description: 'Freshness check.', author: 'E2E Labs', permissions: [], tags: [TAG] },
      }),
    );
    const exitCode = await publishCommand.run(
      [
        artifact,
        '--manifest',
        manifest,
        '--key',
        join(workspace, 'publisher-key.pem'),
        '--endpoint',
        platform.url,
      ],
      { ...silent, env: { GRADIANT_TOKEN: publisherToken }, fetch },
    );
    expect(exitCode).toBe(0);
  }

  const install = async (id: string, tenant: Record<string, string>) =>
    expect((await send('POST', `/v1/marketplace/plugins/${id}/versions/1.0.0/install`, tenant)).status).toBe(
      201,
    );

  const order = async (sort: 'downloads' | 'rating') => {
    const results = await jsonOf(
      await send('GET', `/v1/marketplace/plugins?tags=${TAG}&sort=${sort}`, hospital),
    );
    return results.items.map((item: { pluginId: string }) => item.pluginId);
  };

  beforeAll(async () => {
    platform = await startLocalPlatformProcess();
    publisherToken = await platform.token('e2e-labs', ['marketplace:publish'], 'author');
    const scopes = ['plugins:admin', 'plugins:read', 'marketplace:review'];
    hospital = { authorization: `Bearer ${await platform.token('t-acme', scopes, 'admin')}` };
    otherHospital = { authorization: `Bearer ${await platform.token('t-globex', scopes, 'admin')}` };
    await keygenCommand.run(['--out', workspace], { ...silent, env: {}, fetch });
    await publish('e2e-fresh-one', 'Fresh One');
    await publish('e2e-fresh-two', 'Fresh Two');
  });

  afterAll(async () => {
    await platform?.stop();
  });

  it('shows the new download order right after the installs', async () => {
    const before = await order('downloads');
    await install('e2e-fresh-two', hospital);
    const afterOneInstall = await order('downloads');
    await install('e2e-fresh-one', hospital);
    await install('e2e-fresh-one', otherHospital);
    const afterThreeInstalls = await order('downloads');

    expect(before).toEqual(['e2e-fresh-one', 'e2e-fresh-two']);
    expect(afterOneInstall).toEqual(['e2e-fresh-two', 'e2e-fresh-one']);
    expect(afterThreeInstalls).toEqual(['e2e-fresh-one', 'e2e-fresh-two']);
  });

  it('shows the new rating order right after a review, with verification and security status and their facets', async () => {
    const before = await order('rating');
    const review = await send('PUT', '/v1/marketplace/plugins/e2e-fresh-two/reviews/mine', hospital, {
      stars: 5,
      title: 'Works',
      body: 'Does what it says.',
    });
    const after = await order('rating');
    const results = await jsonOf(
      await send('GET', `/v1/marketplace/plugins?tags=${TAG}&verified=false`, hospital),
    );

    expect(review.status).toBe(201);
    expect(before).toEqual(['e2e-fresh-one', 'e2e-fresh-two']);
    expect(after).toEqual(['e2e-fresh-two', 'e2e-fresh-one']);
    expect(results.items[0]).toMatchObject({ publisherVerified: false, securityStatus: 'clean' });
    expect(results.facets).toEqual({
      tags: { [TAG]: 2 },
      verified: { true: 0, false: 2 },
      securityStatus: { clean: 2, advisory: 0 },
    });
  });
});
