import { generateKeyPairSync, sign } from 'node:crypto';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { TenantId } from '../../shared/domain/identifiers.ts';
import {
  createExecutionPlatform,
  type ExecutionPlatform,
} from '../support/fakes/in-memory-execution-platform.ts';
import { invokeForResult } from '../support/invoke-for-result.ts';

const HONEST =
  "export default { async execute(input, api) { await api.storage.set('ran', true); return 'honest'; } };";
const EVIL =
  "export default { async execute(input, api) { await api.storage.set('ran', true); return 'evil'; } };";
const invoke = (pluginId: string) =>
  ({
    kind: 'invoke',
    tenantId: 't-acme',
    pluginId,
    actor: 'user-1',
    requestId: 'req-1',
    input: null,
  }) as const;

/**
 * Attack: get code the platform never vouched for run in a tenant, by changing what the store
 * holds or what the installation claims. Each must be refused before any plugin code runs,
 * with a security audit record, and the sandbox must never be called.
 */
describe('security: unverified artifacts are refused and never run', () => {
  let platform: ExecutionPlatform;
  let run: ReturnType<typeof vi.spyOn>;

  beforeEach(() => {
    platform = createExecutionPlatform();
    run = vi.spyOn(platform.sandbox, 'run');
  });

  afterEach(() => platform.dispose());

  function expectRefusedWithoutRunning(result: Awaited<ReturnType<typeof invokeForResult>>) {
    expect(result.ok).toBe(false);
    expect(result.error?.code).toBe('ArtifactUnverified');
    expect(run).not.toHaveBeenCalled();
    expect(platform.storage.entries.size).toBe(0);
    expect(platform.outbox.records).toContainEqual(
      expect.objectContaining({
        action: 'security:unverified-artifact-refused',
        outcome: 'refused',
        pluginId: expect.any(String),
      }),
    );
  }

  it('refuses an artifact whose stored bytes were replaced (tampered object under the same digest)', async () => {
    const installation = await platform.install({ pluginId: 'tampered', code: HONEST });
    platform.artifactStore.tamper(installation.sha256, new TextEncoder().encode(EVIL));

    expectRefusedWithoutRunning(await invokeForResult(invoke('tampered'), platform.deps));
  });

  it('refuses a swapped version: the installation points at another version’s artifact', async () => {
    await platform.install({ pluginId: 'swapped', version: '1.0.0', code: HONEST });
    const evilDigest = await platform.publishRelease('other-plugin', '9.9.9', EVIL);
    const installed = platform.installations.items.get('t-acme/swapped');
    if (installed) platform.installations.items.set('t-acme/swapped', { ...installed, sha256: evilDigest });

    expectRefusedWithoutRunning(await invokeForResult(invoke('swapped'), platform.deps));
  });

  it('refuses a statement copied from another version of the same plugin', async () => {
    await platform.install({ pluginId: 'copied', version: '2.0.0', code: EVIL });
    await platform.publishRelease('copied', '1.0.0', HONEST);
    const oldStatement = await platform.artifactStore.getStatement('copied', '1.0.0');
    if (oldStatement) await platform.artifactStore.putStatement('copied', '2.0.0', oldStatement);

    expectRefusedWithoutRunning(await invokeForResult(invoke('copied'), platform.deps));
  });

  it('refuses a release statement signed by a key that is not the platform key', async () => {
    const installation = await platform.install({ pluginId: 'forged', code: EVIL });
    const statement = await platform.artifactStore.getStatement('forged', installation.version);
    const { privateKey } = generateKeyPairSync('ec', { namedCurve: 'prime256v1' });
    const forged = sign('sha256', Buffer.from(statement?.payload ?? ''), {
      key: privateKey,
      dsaEncoding: 'der',
    });
    await platform.artifactStore.putStatement('forged', installation.version, {
      payload: statement?.payload ?? '',
      keyId: platform.signer.keyId,
      signature: forged.toString('base64'),
    });

    expectRefusedWithoutRunning(await invokeForResult(invoke('forged'), platform.deps));
  });

  it('refuses a publisher-signed install whose key is unknown, and one the tenant no longer trusts', async () => {
    const installation = await platform.install({ pluginId: 'direct', code: EVIL });
    const { privateKey, publicKey } = generateKeyPairSync('ec', { namedCurve: 'prime256v1' });
    const signature = sign('sha256', new TextEncoder().encode(EVIL), {
      key: privateKey,
      dsaEncoding: 'der',
    }).toString('base64');
    platform.installations.items.set('t-acme/direct', {
      ...installation,
      source: 'direct',
      provenance: { kind: 'publisher', signature: { keyId: 'unknown-key', signature } },
    });
    const stored = await platform.policies.get('t-acme' as TenantId);
    await platform.policies.put(
      't-acme' as TenantId,
      { ...stored.policy, minimumSignatureLevel: 'publisher', trustedPublisherKeyIds: ['unknown-key'] },
      0,
      'admin-1',
      new Date(),
    );

    expectRefusedWithoutRunning(await invokeForResult(invoke('direct'), platform.deps));

    await platform.publisherKeys.register({
      keyId: 'unknown-key',
      publisherId: 'pub-1',
      publicKeyPem: publicKey.export({ format: 'pem', type: 'spki' }).toString(),
      createdAt: '2030-01-01T00:00:00.000Z',
    });
    const trusted = await invokeForResult(invoke('direct'), platform.deps);
    const current = await platform.policies.get('t-acme' as TenantId);
    await platform.policies.put(
      't-acme' as TenantId,
      { ...current.policy, trustedPublisherKeyIds: [] },
      1,
      'admin-1',
      new Date(),
    );
    run.mockClear();
    platform.storage.entries.clear();
    const distrusted = await invokeForResult(invoke('direct'), platform.deps);

    expect(trusted).toMatchObject({ ok: true, value: 'evil' });
    expectRefusedWithoutRunning(distrusted);
  });

  it('stops a publisher-signed install within a minute of its key being revoked, though it ran before', async () => {
    const installation = await platform.install({ pluginId: 'direct', code: HONEST });
    const { privateKey, publicKey } = generateKeyPairSync('ec', { namedCurve: 'prime256v1' });
    const signature = sign('sha256', new TextEncoder().encode(HONEST), {
      key: privateKey,
      dsaEncoding: 'der',
    }).toString('base64');
    await platform.publisherKeys.register({
      keyId: 'tenant-key',
      publisherId: 't-acme',
      publicKeyPem: publicKey.export({ format: 'pem', type: 'spki' }).toString(),
      createdAt: '2030-01-01T00:00:00.000Z',
    });
    platform.installations.items.set('t-acme/direct', {
      ...installation,
      source: 'direct',
      provenance: { kind: 'publisher', signature: { keyId: 'tenant-key', signature }, publisherId: 't-acme' },
    });
    const stored = await platform.policies.get('t-acme' as TenantId);
    await platform.policies.put(
      't-acme' as TenantId,
      { ...stored.policy, minimumSignatureLevel: 'publisher' },
      0,
      'admin-1',
      new Date(),
    );
    const before = await invokeForResult(invoke('direct'), platform.deps);
    await platform.publisherKeys.revoke('tenant-key', { revokedAt: platform.clock.now().toISOString() });
    run.mockClear();
    platform.storage.entries.clear();

    platform.clock.advance(60_000);
    const after = await invokeForResult(invoke('direct'), platform.deps);

    expect(before).toMatchObject({ ok: true, value: 'honest' });
    expectRefusedWithoutRunning(after);
  });

  it('runs a direct install signed with the platform key, and refuses one whose signature covers other bytes', async () => {
    const signedAs = async (pluginId: string, signedCode: string) => {
      const installation = await platform.install({ pluginId, code: HONEST });
      const signature = await platform.signer.sign(new TextEncoder().encode(signedCode));
      const keyId = platform.signer.keyId;
      platform.installations.items.set(`t-acme/${pluginId}`, {
        ...installation,
        source: 'direct',
        provenance: { kind: 'platform', keyId, signature: { keyId, signature } },
      });
    };
    await signedAs('direct-honest', HONEST);
    await signedAs('direct-forged', EVIL);

    const honest = await invokeForResult(invoke('direct-honest'), platform.deps);
    run.mockClear();
    platform.storage.entries.clear();
    const forged = await invokeForResult(invoke('direct-forged'), platform.deps);

    expect(honest).toMatchObject({ ok: true, value: 'honest' });
    expectRefusedWithoutRunning(forged);
  });

  it('refuses when the artifact is missing from the store', async () => {
    const installation = await platform.install({ pluginId: 'missing', code: HONEST });
    platform.artifactStore.artifacts.delete(installation.sha256);

    expectRefusedWithoutRunning(await invokeForResult(invoke('missing'), platform.deps));
  });

  it('verifies once per digest and provenance, then serves the cached verified code', async () => {
    await platform.install({ pluginId: 'cached', code: HONEST });

    await invokeForResult(invoke('cached'), platform.deps);
    await invokeForResult(invoke('cached'), platform.deps);

    expect(platform.artifactStore.reads).toBe(1);
  });
});
