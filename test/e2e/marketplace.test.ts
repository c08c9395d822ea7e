import { mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { keygenCommand } from '../../apps/cli/commands/keygen.ts';
import { publishCommand } from '../../apps/cli/commands/publish.ts';
import type { CliCommand, CommandIo } from '../../apps/cli/commands/publish-cli-types.ts';
import { registerKeyCommand } from '../../apps/cli/commands/register-key.ts';
import { revokeKeyCommand } from '../../apps/cli/commands/revoke-key.ts';
import { loadPublisherPrivateKey, signArtifact } from '../../apps/cli/commands/sign-artifact.ts';
import { sha256Hex } from '../../shared/domain/signatures.ts';
import {
  jsonOf,
  type LocalPlatformProcess,
  startLocalPlatformProcess,
} from '../support/local-platform-process.ts';

const code = (label: string) => `export default {
  async execute(input, api) {
    const patients = await api.patients.search({ limit: 5 });
    return { label: ${JSON.stringify(label)}, seen: patients.length };
  },
};
`;

describe('marketplace over HTTP against the local platform', () => {
  let platform: LocalPlatformProcess;
  let hospital: Record<string, string>;
  let otherHospital: Record<string, string>;
  let operator: Record<string, string>;
  let publisherToken: string;
  const workspace = mkdtempSync(join(tmpdir(), 'marketplace-e2e-'));
  const keyFile = join(workspace, 'publisher-key.pem');

  const send = (method: string, path: string, headers: Record<string, string>, body?: unknown) =>
    fetch(`${platform.url}${path}`, {
      method,
      headers: { ...(body === undefined ? {} : { 'content-type': 'application/json' }), ...headers },
      ...(body === undefined ? {} : { body: JSON.stringify(body) }),
    });

  /** Runs the real CLI `publish` command against the platform. */
  async function cliPublish(version: string, label = version, key = keyFile) {
    const artifact = join(workspace, `plugin-${label}.js`);
    writeFileSync(artifact, code(label));
    const manifest = join(workspace, `manifest-${label}.json`);
    writeFileSync(
      manifest,
      JSON.stringify({
        id: 'e2e-patient-glance',
        version,
        metadata: {
          name: 'Patient Glance',
          description: 'Shows a glance of the patient list for front-desk staff.',
          author: 'E2E Labs',
          permissions: ['read:patients'],
          tags: ['patients', 'front-desk'],
        },
      }),
    );
    const out: string[] = [];
    const err: string[] = [];
    const io: CommandIo = {
      stdout: (text) => out.push(text),
      stderr: (text) => err.push(text),
      env: { GRADIANT_TOKEN: publisherToken },
      fetch,
    };
    const exitCode = await publishCommand.run(
      [artifact, '--manifest', manifest, '--key', key, '--endpoint', platform.url],
      io,
    );
    return { exitCode, out: out.join(''), err: err.join('') };
  }

  /** Runs any other CLI command as the publisher, against the platform. */
  async function cli(command: CliCommand, argv: string[]) {
    const out: string[] = [];
    const err: string[] = [];
    const exitCode = await command.run([...argv, '--endpoint', platform.url], {
      stdout: (text) => out.push(text),
      stderr: (text) => err.push(text),
      env: { GRADIANT_TOKEN: publisherToken },
      fetch,
    });
    return { exitCode, out: out.join(''), err: err.join('') };
  }

  beforeAll(async () => {
    platform = await startLocalPlatformProcess();
    publisherToken = await platform.token('e2e-labs', ['marketplace:publish'], 'author');
    const hospitalScopes = ['plugins:admin', 'plugins:read', 'marketplace:review'];
    hospital = { authorization: `Bearer ${await platform.token('t-acme', hospitalScopes, 'admin')}` };
    otherHospital = { authorization: `Bearer ${await platform.token('t-globex', hospitalScopes, 'admin')}` };
    operator = {
      authorization: `Bearer ${await platform.token('platform-ops', ['marketplace:admin'], 'ops')}`,
    };
    await keygenCommand.run(['--out', workspace], {
      stdout: () => undefined,
      stderr: () => undefined,
      env: {},
      fetch,
    });
  });

  afterAll(async () => {
    await platform?.stop();
  });

  it('walks publish → search → install → review → newer version → update → yank', async () => {
    const published = await cliPublish('1.0.0');
    expect(published).toMatchObject({ exitCode: 0 });

    const search = await jsonOf(
      await send('GET', '/v1/marketplace/plugins?query=patient%20glance', hospital),
    );
    expect(search.items.map((item: { pluginId: string }) => item.pluginId)).toContain('e2e-patient-glance');
    expect(search.facets.tags['front-desk']).toBeGreaterThanOrEqual(1);

    const installOnce = () =>
      send('POST', '/v1/marketplace/plugins/e2e-patient-glance/versions/1.0.0/install', {
        ...hospital,
        'idempotency-key': 'e2e-marketplace-install-1',
      });
    const install = await installOnce();
    // A retry after a lost answer is replayed, not a second install (downloads stays 1 below).
    const retried = await installOnce();
    expect(install.status).toBe(201);
    expect(retried.status).toBe(201);
    expect(retried.headers.get('idempotent-replayed')).toBe('true');
    expect(await jsonOf(retried)).toEqual(await jsonOf(install));

    const review = await send('PUT', '/v1/marketplace/plugins/e2e-patient-glance/reviews/mine', hospital, {
      stars: 4,
      title: 'Handy',
      body: 'Saves clicks.',
    });
    expect(review.status).toBe(201);
    const page = await jsonOf(await send('GET', '/v1/marketplace/plugins/e2e-patient-glance', hospital));
    expect(page).toMatchObject({ downloads: 1, rating: { count: 1, average: 4 }, latestVersion: '1.0.0' });

    expect(await cliPublish('1.1.0')).toMatchObject({ exitCode: 0 });
    const updates = await jsonOf(await send('GET', '/v1/plugins/updates', hospital));
    expect(updates.items).toEqual([
      expect.objectContaining({ pluginId: 'e2e-patient-glance', latestVersion: '1.1.0' }),
    ]);

    const publisher = { authorization: `Bearer ${publisherToken}` };
    const yank = await send(
      'POST',
      '/v1/marketplace/plugins/e2e-patient-glance/versions/1.1.0/yank',
      publisher,
    );
    expect(yank.status).toBe(200);
    expect((await jsonOf(await send('GET', '/v1/plugins/updates', hospital))).items).toEqual([]);
    const yanked = await send(
      'POST',
      '/v1/marketplace/plugins/e2e-patient-glance/versions/1.1.0/install',
      otherHospital,
    );
    expect((await jsonOf(yanked)).code).toBe('VERSION_YANKED');
  });

  it('lets only verified installers review, the publisher reply once, anyone report and an operator hide', async () => {
    const path = '/v1/marketplace/plugins/e2e-patient-glance/reviews';
    const publisher = { authorization: `Bearer ${publisherToken}` };
    const stranger = await send('PUT', `${path}/mine`, otherHospital, { stars: 1, title: 'Never used it' });
    const listed = await jsonOf(await send('GET', path, hospital));
    const reviewId = listed.items[0]?.reviewId;
    const reply = await send('PUT', `${path}/${reviewId}/reply`, publisher, { body: 'Thanks!' });
    const secondReply = await send('PUT', `${path}/${reviewId}/reply`, publisher, { body: 'Again' });
    const report = await send('POST', `${path}/${reviewId}/report`, otherHospital, { reason: 'spam' });
    const repeat = await send('POST', `${path}/${reviewId}/report`, otherHospital, { reason: 'spam' });
    const hide = await send('POST', `${path}/${reviewId}/hide`, operator, { reason: 'e2e moderation' });
    const whileHidden = await jsonOf(
      await send('GET', '/v1/marketplace/plugins/e2e-patient-glance', hospital),
    );
    const hiddenList = await jsonOf(await send('GET', path, hospital));
    const restore = await send('POST', `${path}/${reviewId}/restore`, operator, { reason: 'e2e appeal' });
    const restored = await jsonOf(await send('GET', '/v1/marketplace/plugins/e2e-patient-glance', hospital));

    expect(stranger.status).toBe(403);
    expect((await jsonOf(stranger)).code).toBe('REVIEWER_NOT_INSTALLER');
    expect(listed.items).toEqual([
      expect.objectContaining({ tenantId: 't-acme', verifiedInstaller: true, version: '1.0.0' }),
    ]);
    expect(listed.items[0]).not.toHaveProperty('reviewerId');
    expect(reply.status).toBe(200);
    expect((await jsonOf(reply)).reply).toMatchObject({ body: 'Thanks!' });
    expect((await jsonOf(secondReply)).code).toBe('REVIEW_ALREADY_REPLIED');
    expect([report.status, repeat.status]).toEqual([202, 200]);
    expect(hide.status).toBe(200);
    expect(whileHidden.rating.count).toBe(0);
    expect(hiddenList.items).toEqual([]);
    expect(restore.status).toBe(200);
    expect(restored.rating).toMatchObject({ count: 1, average: 4 });
  });

  it('refuses a duplicate version with the problem code shown by the CLI', async () => {
    await cliPublish('2.0.0');

    const again = await cliPublish('2.0.0', 'changed');

    expect(again.exitCode).toBe(1);
    expect(again.err).toContain('409 VERSION_EXISTS');
  });

  it('refuses a bad publisher signature', async () => {
    const text = code('unsigned');
    const signature = signArtifact(Buffer.from(code('something else')), loadPublisherPrivateKey(keyFile));

    const response = await send(
      'POST',
      '/v1/marketplace/plugins',
      { authorization: `Bearer ${publisherToken}` },
      {
        id: 'e2e-patient-glance',
        version: '3.0.0',
        metadata: { name: 'n', description: 'd', author: 'a' },
        code: text,
        signature,
      },
    );

    expect(response.status).toBe(422);
    expect((await jsonOf(response)).code).toBe('SIGNATURE_INVALID');
  });

  it('refuses to install an artifact tampered with in the store', async () => {
    await cliPublish('4.0.0', 'tamper-me');
    const digest = sha256Hex(code('tamper-me'));
    const bucketDirectory = join(platform.dataDirectory, 's3', 'gradiant-artifacts', 'artifacts', 'sha256');
    const stored = readdirSync(bucketDirectory).find(
      (name) => name.startsWith(digest) && name.endsWith('_object'),
    );
    expect(stored).toBeDefined();
    const path = join(bucketDirectory, stored as string);
    writeFileSync(path, readFileSync(path, 'utf8').replace('tamper-me', 'evil-code'));

    const response = await send(
      'POST',
      '/v1/marketplace/plugins/e2e-patient-glance/versions/4.0.0/install',
      otherHospital,
    );

    expect(response.status).toBe(422);
    expect((await jsonOf(response)).code).toBe('ARTIFACT_TAMPERED');
  });

  it('refuses a review out of range and answers hostile searches safely', async () => {
    const review = await send('PUT', '/v1/marketplace/plugins/e2e-patient-glance/reviews/mine', hospital, {
      stars: 0,
      title: 'x',
    });
    const long = await send('GET', `/v1/marketplace/plugins?query=${'a'.repeat(5000)}`, hospital);
    const regex = await send(
      'GET',
      `/v1/marketplace/plugins?query=${encodeURIComponent('(a+)+$ .* [\\')}`,
      hospital,
    );

    expect(review.status).toBe(400);
    expect(long.status).toBe(400);
    expect(long.headers.get('content-type')).toBe('application/problem+json');
    expect(regex.status).toBe(200);
  });

  it('lets only a platform operator revoke, and reports the blast radius', async () => {
    const path = '/v1/marketplace/plugins/e2e-patient-glance/versions/1.0.0';
    const refused = await send('POST', `${path}/revoke`, hospital, { reason: 'test' });

    const revoked = await send('POST', `${path}/revoke`, operator, { reason: 'credential exfiltration' });
    const radius = await jsonOf(await send('GET', `${path}/blast-radius`, operator));

    expect(refused.status).toBe(403);
    expect(revoked.status).toBe(200);
    expect(radius.items).toEqual([expect.objectContaining({ tenantId: 't-acme', isInstalled: true })]);
    const installed = await jsonOf(await send('GET', '/v1/plugins/e2e-patient-glance', hospital));
    expect(installed).toMatchObject({ state: 'disabled' });
  });

  it('registers a key only with proof of possession, and a revoked key signs nothing new', async () => {
    const keyDirectory = mkdtempSync(join(tmpdir(), 'marketplace-e2e-key-'));
    const generated: string[] = [];
    await keygenCommand.run(['--out', keyDirectory], {
      stdout: (text) => generated.push(text),
      stderr: () => undefined,
      env: {},
      fetch,
    });
    const { keyId } = JSON.parse(generated.join('')) as { keyId: string };
    const rotatedKey = join(keyDirectory, 'publisher-key.pem');
    const publicKeyPem = readFileSync(join(keyDirectory, 'publisher-key.pub.pem'), 'utf8');
    const publisher = { authorization: `Bearer ${publisherToken}` };

    const withoutProof = await send('POST', '/v1/publishers/keys', publisher, { publicKeyPem });
    const registered = await cli(registerKeyCommand, ['--key', rotatedKey]);
    const published = await cliPublish('5.0.0', 'before-revocation', rotatedKey);
    const revoked = await cli(revokeKeyCommand, [keyId]);
    const afterRevocation = await cliPublish('5.1.0', 'after-revocation', rotatedKey);
    const directPublish = await send('POST', '/v1/marketplace/plugins', publisher, {
      id: 'e2e-patient-glance',
      version: '5.1.0',
      metadata: { name: 'n', description: 'd', author: 'a' },
      code: code('after-revocation'),
      signature: signArtifact(Buffer.from(code('after-revocation')), loadPublisherPrivateKey(rotatedKey)),
    });
    const installed = await send(
      'POST',
      '/v1/marketplace/plugins/e2e-patient-glance/versions/5.0.0/install',
      otherHospital,
    );

    expect(withoutProof.status).toBe(400);
    expect(withoutProof.headers.get('content-type')).toBe('application/problem+json');
    expect(await jsonOf(withoutProof)).toMatchObject({
      code: 'VALIDATION_FAILED',
      errors: [expect.objectContaining({ field: 'body.proof' })],
    });
    expect(registered).toMatchObject({ exitCode: 0 });
    expect(JSON.parse(registered.out)).toMatchObject({ keyId, publisherId: 'e2e-labs' });
    expect(published).toMatchObject({ exitCode: 0 });
    expect(revoked).toMatchObject({ exitCode: 0 });
    expect(afterRevocation.exitCode).toBe(1);
    expect(afterRevocation.err).toContain('422 PUBLISHER_KEY_REVOKED');
    expect(directPublish.status).toBe(422);
    expect((await jsonOf(directPublish)).code).toBe('PUBLISHER_KEY_REVOKED');
    // The platform signed 5.0.0 before the revocation: its release statement still vouches for it.
    expect(installed.status).toBe(201);
  });
});
