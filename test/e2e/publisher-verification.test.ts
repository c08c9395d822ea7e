import { createPublicKey, generateKeyPairSync, sign } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { publisherKeyIdOf } from '../../shared/domain/marketplace-keys.ts';
import { proveKeyPossession } from '../../shared/domain/prove-key-possession.ts';
import { type InProcessPlatform, startLocalPlatformInProcess } from '../support/local-platform-in-process.ts';
import { jsonOf } from '../support/local-platform-process.ts';

const code = (label: string) => `export default { async execute() { return ${JSON.stringify(label)}; } };\n`;

/**
 * An admin verifies a publisher against its well-known file (on the local stand-in for
 * `.localhost` domains), the plugin page says so, and a tenant that admits verified publishers
 * only installs that publisher's plugin and not an unverified one's. HTTP only, but for the
 * publisher putting its proof file on its web server.
 */
describe('publisher verification over HTTP against the local platform', () => {
  let platform: InProcessPlatform;
  let admin: Record<string, string>;
  let hospital: Record<string, string>;

  const send = (method: string, path: string, headers: Record<string, string>, body?: unknown) =>
    fetch(`${platform.url}${path}`, {
      method,
      headers: { ...(body === undefined ? {} : { 'content-type': 'application/json' }), ...headers },
      ...(body === undefined ? {} : { body: JSON.stringify(body) }),
    });
  const bearer = async (tenantId: string, scopes: string[]) => ({
    authorization: `Bearer ${await platform.token(tenantId, scopes)}`,
  });

  /** Registers a fresh key for `publisherId` and publishes `pluginId@1.0.0` signed with it. */
  async function publishAs(publisherId: string, pluginId: string) {
    const headers = await bearer(publisherId, ['marketplace:publish']);
    const { privateKey } = generateKeyPairSync('ec', { namedCurve: 'prime256v1' });
    const registered = await send(
      'POST',
      '/v1/publishers/keys',
      headers,
      proveKeyPossession(privateKey, publisherId, new Date()),
    );
    expect(registered.status).toBe(201);
    const artifact = code(pluginId);
    const published = await send('POST', '/v1/marketplace/plugins', headers, {
      id: pluginId,
      version: '1.0.0',
      metadata: {
        name: `Plugin ${pluginId}`,
        description: 'A plugin for the verification walk-through.',
        author: publisherId,
        permissions: ['read:patients'],
        tags: ['e2e'],
      },
      code: artifact,
      signature: {
        keyId: publisherKeyIdOf(createPublicKey(privateKey)),
        signature: sign('sha256', Buffer.from(artifact), { key: privateKey, dsaEncoding: 'der' }).toString(
          'base64',
        ),
      },
    });
    expect(published.status, JSON.stringify(await published.clone().json())).toBe(201);
  }

  beforeAll(async () => {
    platform = await startLocalPlatformInProcess();
    admin = await bearer('platform-ops', ['marketplace:admin']);
    hospital = await bearer('t-hospital', ['plugins:admin']);
    await publishAs('pub-verified-labs', 'verified-glance');
    await publishAs('pub-unknown-labs', 'unknown-glance');
  }, 120_000);

  afterAll(async () => {
    await platform?.stop();
  });

  it('refuses a verification whose proof file is missing, and a caller without marketplace:admin', async () => {
    const path = '/v1/marketplace/publishers/pub-verified-labs/verification';
    const body = { method: 'well-known', domain: 'verified-labs.localhost' };

    const missing = await send('POST', path, admin, body);
    const notAdmin = await send(
      'POST',
      path,
      await bearer('pub-verified-labs', ['marketplace:publish']),
      body,
    );

    expect(missing.status).toBe(422);
    expect(await jsonOf(missing)).toMatchObject({
      code: 'PUBLISHER_PROOF_NOT_FOUND',
      errors: [{ field: 'body.domain' }],
    });
    expect(notAdmin.status).toBe(403);
  });

  it('verifies a publisher from its well-known file and shows it on the plugin page', async () => {
    platform.publisherProofs.serve('verified-labs.localhost', 'pub-verified-labs');

    const verified = await send('POST', '/v1/marketplace/publishers/pub-verified-labs/verification', admin, {
      method: 'well-known',
      domain: 'verified-labs.localhost',
      baaReference: 'BAA-E2E-1',
    });
    const page = await jsonOf(await send('GET', '/v1/marketplace/plugins/verified-glance', hospital));
    const other = await jsonOf(await send('GET', '/v1/marketplace/plugins/unknown-glance', hospital));

    expect(verified.status).toBe(200);
    expect(await jsonOf(verified)).toMatchObject({
      isVerified: true,
      verification: { method: 'well-known', domain: 'verified-labs.localhost', baaReference: 'BAA-E2E-1' },
      entriesUpdated: 1,
    });
    expect(page.publisher).toMatchObject({
      publisherId: 'pub-verified-labs',
      isVerified: true,
      verification: { method: 'well-known', domain: 'verified-labs.localhost', hasBaa: true },
    });
    expect(JSON.stringify(page)).not.toContain('BAA-E2E-1');
    expect(other.publisher).toEqual({
      publisherId: 'pub-unknown-labs',
      displayName: 'pub-unknown-labs',
      isVerified: false,
    });
  });

  it('lets a verified-publishers-only tenant install the verified plugin and not the other', async () => {
    const patched = await fetch(`${platform.url}/v1/tenant/policy`, {
      method: 'PATCH',
      headers: { ...hospital, 'content-type': 'application/merge-patch+json' },
      body: JSON.stringify({ installFrom: 'verified-publishers-only' }),
    });
    expect(patched.status).toBe(200);

    const admitted = await send(
      'POST',
      '/v1/marketplace/plugins/verified-glance/versions/1.0.0/install',
      hospital,
    );
    const refused = await send(
      'POST',
      '/v1/marketplace/plugins/unknown-glance/versions/1.0.0/install',
      hospital,
    );

    expect(admitted.status).toBe(201);
    expect(refused.status).toBe(422);
    expect(await jsonOf(refused)).toMatchObject({ code: 'PUBLISHER_NOT_VERIFIED' });
  });

  it('revokes the verification: the page says unverified and the policy refuses the publisher again', async () => {
    const revoked = await send('DELETE', '/v1/marketplace/publishers/pub-verified-labs/verification', admin, {
      reason: 'domain lapsed',
    });
    const page = await jsonOf(await send('GET', '/v1/marketplace/plugins/verified-glance', hospital));
    const otherTenant = await bearer('t-clinic', ['plugins:admin']);
    await fetch(`${platform.url}/v1/tenant/policy`, {
      method: 'PATCH',
      headers: { ...otherTenant, 'content-type': 'application/merge-patch+json' },
      body: JSON.stringify({ installFrom: 'verified-publishers-only' }),
    });
    const refused = await send(
      'POST',
      '/v1/marketplace/plugins/verified-glance/versions/1.0.0/install',
      otherTenant,
    );

    expect(revoked.status).toBe(200);
    expect(await jsonOf(revoked)).toMatchObject({
      isVerified: false,
      revocation: { reason: 'domain lapsed' },
    });
    expect(page.publisher).toMatchObject({ isVerified: false });
    expect(page.publisher).not.toHaveProperty('verification');
    expect(refused.status).toBe(422);
  });
});
