import { createPublicKey, verify } from 'node:crypto';
import { mkdtempSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { keygenCommand } from '../../../../../../apps/cli/commands/keygen.ts';
import { publishCommand } from '../../../../../../apps/cli/commands/publish.ts';
import type { CommandIo } from '../../../../../../apps/cli/commands/publish-cli-types.ts';
import { registerKeyCommand } from '../../../../../../apps/cli/commands/register-key.ts';
import { revokeKeyCommand } from '../../../../../../apps/cli/commands/revoke-key.ts';
import { signCommand } from '../../../../../../apps/cli/commands/sign.ts';
import {
  actor,
  createMarketplaceHarness,
} from '../../../../../support/fakes/in-memory-marketplace-harness.ts';
import { platformCli } from '../../../../../support/platform-cli.ts';
import { json, problem, type SentRequest } from '../../../../../support/scripted-fetch.ts';
import { createTestIssuer } from '../../../../../support/test-issuer.ts';

const publisherToken = async (tenant = 'pub-acme') =>
  (await createTestIssuer()).token(tenant, ['marketplace:publish']);

/** A fetch that records each request and answers the first matching route, else 404. */
function recordingFetch(answers: Record<string, () => Response>) {
  const requests: { route: string; body: unknown }[] = [];
  const fetcher = (async (url: string, init: RequestInit) => {
    const route = `${init.method} ${new URL(url).pathname}`;
    requests.push({ route, body: init.body ? JSON.parse(String(init.body)) : undefined });
    return answers[route]?.() ?? new Response(JSON.stringify({ code: 'ROUTE_NOT_FOUND' }), { status: 404 });
  }) as typeof fetch;
  return { fetcher, requests };
}

const PUBLISHER_KEY = {
  keyId: `pk_${'a'.repeat(32)}`,
  publisherId: 'pub-acme',
  createdAt: '2030-01-01T00:00:00.000Z',
};

function io(env: Record<string, string> = {}, fetcher: typeof fetch = fetch, now?: Date) {
  const out: string[] = [];
  const err: string[] = [];
  const value: CommandIo = {
    stdout: (text) => out.push(text),
    stderr: (text) => err.push(text),
    env,
    fetch: fetcher,
    ...(now ? { clock: { now: () => now } } : {}),
  };
  return { io: value, out, err };
}

const workspace = () => {
  const directory = mkdtempSync(join(tmpdir(), 'gradiant-cli-'));
  const artifact = join(directory, 'plugin.js');
  writeFileSync(artifact, 'export default { async execute() { return 1; } };\n');
  const manifest = join(directory, 'manifest.json');
  writeFileSync(
    manifest,
    JSON.stringify({
      id: 'cli-plugin',
      version: '1.0.0',
      metadata: { name: 'n', description: 'd', author: 'a' },
    }),
  );
  return { directory, artifact, manifest };
};

describe('publisher CLI commands', () => {
  it('keygen writes an owner-only private key and refuses to overwrite it', async () => {
    const { directory } = workspace();
    const first = io();
    const again = io();

    const code = await keygenCommand.run(['--out', directory], first.io);
    const second = await keygenCommand.run(['--out', directory], again.io);

    expect(code).toBe(0);
    expect(JSON.parse(first.out.join('')).keyId).toMatch(/^pk_/);
    expect(statSync(join(directory, 'publisher-key.pem')).mode & 0o077).toBe(0);
    expect(second).toBe(1);
  });

  it('sign prints a signature over the exact artifact bytes that verifies with the public key', async () => {
    const { directory, artifact } = workspace();
    await keygenCommand.run(['--out', directory], io().io);
    const run = io();

    const code = await signCommand.run([artifact, '--key', join(directory, 'publisher-key.pem')], run.io);

    const signature = JSON.parse(run.out.join('')) as { signature: string };
    const publicKey = createPublicKey(readFileSync(join(directory, 'publisher-key.pub.pem')));
    expect(code).toBe(0);
    expect(
      verify(
        'sha256',
        readFileSync(artifact),
        { key: publicKey, dsaEncoding: 'der' },
        Buffer.from(signature.signature, 'base64'),
      ),
    ).toBe(true);
  });

  it('exits 2 on usage errors and without GRADIANT_TOKEN', async () => {
    const { directory, artifact, manifest } = workspace();
    await keygenCommand.run(['--out', directory], io().io);
    const missing = io();
    const noToken = io();

    expect(await signCommand.run([], missing.io)).toBe(2);
    expect(
      await publishCommand.run(
        [artifact, '--manifest', manifest, '--key', join(directory, 'publisher-key.pem')],
        noToken.io,
      ),
    ).toBe(2);
    expect(noToken.err.join('')).toContain('GRADIANT_TOKEN');
  });

  it('shows the server problem code and exits 1 when publishing is refused', async () => {
    const { directory, artifact, manifest } = workspace();
    await keygenCommand.run(['--out', directory], io().io);
    const requests: string[] = [];
    const fakeFetch = (async (url: string, init: RequestInit) => {
      requests.push(`${init.method} ${new URL(url).pathname}`);
      if (url.endsWith('/v1/publishers/keys')) return json(201, PUBLISHER_KEY);
      return new Response(
        JSON.stringify({
          status: 409,
          code: 'VERSION_EXISTS',
          detail: 'This version was published already.',
          errors: [{ field: 'version', message: 'taken' }],
        }),
        { status: 409, headers: { 'content-type': 'application/problem+json' } },
      );
    }) as typeof fetch;
    const run = io({ GRADIANT_TOKEN: await publisherToken() }, fakeFetch);

    const code = await publishCommand.run(
      [
        artifact,
        '--manifest',
        manifest,
        '--key',
        join(directory, 'publisher-key.pem'),
        '--endpoint',
        'https://marketplace.test',
      ],
      run.io,
    );

    expect(code).toBe(1);
    expect(run.err.join('')).toContain('409 VERSION_EXISTS from https://marketplace.test');
    expect(run.err.join('')).toContain('version: taken');
    expect(requests).toEqual(['POST /v1/publishers/keys', 'POST /v1/marketplace/plugins']);
  });

  it('registers the key with a proof the marketplace accepts for the token’s publisher', async () => {
    const { directory } = workspace();
    await keygenCommand.run(['--out', directory], io().io);
    const { service, clock } = createMarketplaceHarness();
    const { fetcher, requests } = recordingFetch({
      'POST /v1/publishers/keys': () => json(201, PUBLISHER_KEY),
    });
    const run = io({ GRADIANT_TOKEN: await publisherToken('pub-acme') }, fetcher, clock.now());

    const code = await registerKeyCommand.run(['--key', join(directory, 'publisher-key.pem')], run.io);

    expect(code).toBe(0);
    expect(requests.map((request) => request.route)).toEqual(['POST /v1/publishers/keys']);
    const body = requests[0]?.body as Parameters<typeof service.registerPublisherKey>[0];
    expect(body.proof.signedAt).toBe(clock.now().toISOString());
    expect((await service.registerPublisherKey(body, actor('pub-acme'))).isNew).toBe(true);
    await expect(service.registerPublisherKey(body, actor('pub-evil'))).rejects.toMatchObject({
      code: 'KEY_POSSESSION_UNPROVEN',
    });
  });

  it('fails before any request when the token does not name a publisher', async () => {
    const { directory } = workspace();
    await keygenCommand.run(['--out', directory], io().io);
    const { fetcher, requests } = recordingFetch({});
    const run = io({ GRADIANT_TOKEN: 'opaque-token' }, fetcher);

    const code = await registerKeyCommand.run(['--key', join(directory, 'publisher-key.pem')], run.io);

    expect(code).toBe(1);
    expect(run.err.join('')).toContain('not a JWT');
    expect(requests).toEqual([]);
  });

  it('revokes a key by id and shows the server’s refusal code for a key that is not yours', async () => {
    const keyId = `pk_${'a'.repeat(32)}`;
    const { fetcher, requests } = recordingFetch({
      [`DELETE /v1/publishers/keys/${keyId}`]: () => new Response(null, { status: 204 }),
    });
    const token = await publisherToken();
    const revoked = io({ GRADIANT_TOKEN: token }, fetcher);
    const foreign = io({ GRADIANT_TOKEN: token }, fetcher);
    const malformed = io({ GRADIANT_TOKEN: token }, fetcher);

    const codes = [
      await revokeKeyCommand.run([keyId], revoked.io),
      await revokeKeyCommand.run([`pk_${'b'.repeat(32)}`], foreign.io),
      await revokeKeyCommand.run(['not-a-key'], malformed.io),
    ];

    expect(codes).toEqual([0, 1, 2]);
    expect(JSON.parse(revoked.out.join(''))).toEqual({ keyId, revoked: true });
    expect(foreign.err.join('')).toContain('404');
    expect(requests.map((request) => request.route)).toEqual([
      `DELETE /v1/publishers/keys/${keyId}`,
      `DELETE /v1/publishers/keys/pk_${'b'.repeat(32)}`,
    ]);
  });

  it('uploads a large artifact through the presigned URL, with progress on stderr only when asked or on a terminal', async () => {
    const { directory, manifest } = workspace();
    await keygenCommand.run(['--out', directory], io().io);
    const artifact = join(directory, 'large.js');
    writeFileSync(artifact, `export default { async execute() { return '${'x'.repeat(300 * 1024)}'; } };\n`);
    const upload = {
      uploadId: 'up-1',
      url: 'https://uploads.example.test/up-1?signature=s',
      method: 'PUT',
      headers: { 'content-type': 'application/javascript', 'content-length': '1' },
      expiresAt: '2030-01-01T00:05:00.000Z',
    };
    const refusal = () =>
      problem(409, { code: 'VERSION_EXISTS', detail: 'This version was published already.' });
    const uploaded: number[] = [];
    const storage = async (request: SentRequest) => {
      uploaded.push((await new Response(request.rawBody).arrayBuffer()).byteLength);
      return new Response(null, { status: 200 });
    };
    const answers = () => [json(201, PUBLISHER_KEY), json(201, upload), storage, refusal()];
    const env = { GRADIANT_TOKEN: await publisherToken(), GRADIANT_ENDPOINT: 'https://marketplace.test' };
    const argv = ['publish', artifact, '--manifest', manifest, '--key', join(directory, 'publisher-key.pem')];
    const quiet = platformCli(answers(), env);
    const asked = platformCli(answers(), env);
    const terminal = platformCli(answers(), env);

    const runs = [
      await quiet.run(argv),
      await asked.run([...argv, '--progress']),
      await terminal.run(argv, { isStderrTerminal: true }),
    ];

    expect(runs.map((run) => run.code)).toEqual([1, 1, 1]);
    const size = statSync(artifact).size;
    expect(
      quiet.sent.map((request) => `${request.method} ${request.url.host}${request.url.pathname}`),
    ).toEqual([
      'POST marketplace.test/v1/publishers/keys',
      'POST marketplace.test/v1/marketplace/uploads',
      'PUT uploads.example.test/up-1',
      'POST marketplace.test/v1/marketplace/plugins',
    ]);
    expect(quiet.sent[3]?.body).toMatchObject({ uploadId: 'up-1' });
    expect(quiet.sent[2]?.headers['content-length']).toBe(String(size));
    expect(quiet.sent[2]?.headers['content-type']).toBe('application/javascript');
    expect(uploaded).toEqual([size, size, size]);
    expect(runs[0]?.stderr).not.toContain('upload');
    const chunks = Math.ceil(size / (64 * 1024));
    for (const run of runs.slice(1)) {
      const progress = run.stderr.split('\n').filter((line) => line.startsWith('upload'));
      expect(progress[0]).toBe(`uploading: 0/${size} bytes`);
      expect(progress[1]).toBe(`uploading: ${64 * 1024}/${size} bytes`);
      expect(progress.at(-2)).toBe(`uploading: ${size}/${size} bytes`);
      expect(progress.at(-1)).toBe(`uploaded ${size} bytes`);
      expect(progress).toHaveLength(chunks + 2);
      expect(run.stderr).toContain('409 VERSION_EXISTS from https://marketplace.test');
    }
  });
});
