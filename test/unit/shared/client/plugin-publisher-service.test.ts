import { describe, expect, it } from 'vitest';
import { GradiantApiError, PluginPublisherService } from '../../../../shared/client/index.ts';
import { json, problem, scriptedFetch } from '../../../support/scripted-fetch.ts';

const ENDPOINT = 'https://plugins.example.test';
const KEY_ID = `pk_${'a'.repeat(32)}`;
const key = { keyId: KEY_ID, publisherId: 'acme-labs', createdAt: '2026-12-01T00:00:00.000Z' };
const proof = {
  publicKeyPem: '-----BEGIN PUBLIC KEY-----\nx\n-----END PUBLIC KEY-----\n',
  proof: { signedAt: '2026-12-01T00:00:00.000Z', signature: 's' },
};

describe('PluginPublisherService', () => {
  it('registers a key, taking 201 (new) and 200 (already yours) alike', async () => {
    const server = scriptedFetch(json(201, key), json(200, key));
    const publisher = new PluginPublisherService({ endpoint: ENDPOINT, token: 't', fetch: server.fetch });

    const registered = [
      await publisher.registerPublisherKey(proof as never),
      await publisher.registerPublisherKey(proof as never),
    ];

    expect(registered).toEqual([key, key]);
    expect(server.sent.map((request) => `${request.method} ${request.url.pathname}`)).toEqual([
      'POST /v1/publishers/keys',
      'POST /v1/publishers/keys',
    ]);
    expect(server.sent[0]?.body).toEqual(proof);
  });

  it('asks for a presigned upload and revokes a key by its id', async () => {
    const upload = {
      uploadId: 'up-1',
      url: 'https://uploads.example.test/up-1',
      method: 'PUT',
      headers: {},
      expiresAt: '2026-12-01T00:05:00.000Z',
    };
    const server = scriptedFetch(json(201, upload), new Response(null, { status: 204 }));
    const publisher = new PluginPublisherService({ endpoint: ENDPOINT, token: 't', fetch: server.fetch });

    const target = await publisher.createArtifactUpload({ sizeBytes: 300_000, sha256: 'b'.repeat(64) });
    await publisher.revokePublisherKey(KEY_ID);

    expect(target).toEqual(upload);
    expect(server.sent.map((request) => `${request.method} ${request.url.pathname}`)).toEqual([
      'POST /v1/marketplace/uploads',
      `DELETE /v1/publishers/keys/${KEY_ID}`,
    ]);
  });

  it('throws a refused publish as a GradiantApiError with its code', async () => {
    const server = scriptedFetch(problem(409, { code: 'VERSION_EXISTS' }));
    const publisher = new PluginPublisherService({ endpoint: ENDPOINT, token: 't', fetch: server.fetch });

    const refused = await publisher
      .publishRelease({ id: 'p1', version: '1.0.0', code: 'x', metadata: {}, signature: {} } as never)
      .catch((error: unknown) => error);

    expect(refused).toBeInstanceOf(GradiantApiError);
    expect(refused).toMatchObject({ status: 409, code: 'VERSION_EXISTS' });
  });
});
