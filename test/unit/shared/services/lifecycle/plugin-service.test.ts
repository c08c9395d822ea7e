import { beforeEach, describe, expect, it } from 'vitest';
import {
  createLifecycleHarness,
  SAMPLE_CODE,
  sampleMetadata,
} from '../../../../support/lifecycle-harness.ts';
import { createPublisherKeyPair } from '../../../../support/signing.ts';

type Harness = Awaited<ReturnType<typeof createLifecycleHarness>>;

describe('PluginService', () => {
  let h: Harness;

  beforeEach(async () => {
    h = await createLifecycleHarness();
  });

  it('runs the seed usage example with only a signature added', async () => {
    const pluginService = h.serviceFor();
    const seen: string[] = [];
    pluginService.on('plugin:installed', ({ pluginId, version }) =>
      seen.push(`installed ${pluginId}@${version}`),
    );
    pluginService.on('plugin:enabled', ({ pluginId }) => seen.push(`enabled ${pluginId}`));
    const pluginCode = SAMPLE_CODE;

    await pluginService.installPlugin({
      id: 'my-plugin',
      version: '1.0.0',
      code: pluginCode,
      metadata: {
        name: 'My Plugin',
        description: 'Extends EHR functionality',
        permissions: ['read:patients', 'write:appointments'],
        author: 'Developer Name',
        homepage: 'https://example.com/my-plugin',
      },
      signature: h.signed(pluginCode),
    });
    await pluginService.enablePlugin('my-plugin');

    const installed = await pluginService.getPlugin('my-plugin');
    expect(seen).toEqual(['installed my-plugin@1.0.0', 'enabled my-plugin']);
    expect(installed.state).toBe('enabled');
    expect(installed.grants).toMatchObject({
      permissions: ['read:patients', 'write:appointments'],
      approvedBy: 'admin-1',
    });
    expect(h.eventNames()).toEqual(['plugin:installed', 'plugin:enabled']);
    expect(h.outbox.records.map((record) => `${record.action} ${record.outcome}`)).toEqual([
      'plugin:install success',
      'plugin:enable success',
    ]);
  });

  it('publishes lifecycle events with tenant, plugin, version, actor and time', async () => {
    await h.installSample('p1', '1.0.0');

    const event = h.outbox.events().find((candidate) => candidate.name === 'plugin:installed');

    expect(event?.detail).toMatchObject({
      tenantId: 't-acme',
      pluginId: 'p1',
      version: '1.0.0',
      actor: 't-acme/admin-1',
    });
    expect(event?.detail.time).toEqual(expect.any(String));
  });

  it.each([
    ['an unsigned artifact', { signature: undefined }, 'SIGNATURE_REQUIRED'],
    [
      'a signature over other bytes',
      {
        signature: {
          keyId: 'pub-key-1',
          signature: 'MEUCIQD0AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAIgAAAA',
        },
      },
      'SIGNATURE_INVALID',
    ],
    [
      'a key the tenant does not trust',
      { signature: { keyId: 'someone-else', signature: 'AAAAAAAA' } },
      'UNTRUSTED_PUBLISHER_KEY',
    ],
    ['a manifest without a name', { metadata: sampleMetadata({ name: '' }) }, 'INVALID_MANIFEST'],
    [
      'an unknown permission',
      { metadata: sampleMetadata({ permissions: ['root:everything'] }) },
      'INVALID_MANIFEST',
    ],
    [
      'a vulnerable dependency',
      { metadata: sampleMetadata({ dependencies: [{ name: 'lodash', version: '4.17.10' }] }) },
      'VULNERABLE_DEPENDENCY',
    ],
    [
      'a permission outside the policy',
      {
        metadata: sampleMetadata({
          permissions: ['read:patients', 'network:api.example.com'],
          networkHosts: ['api.example.com'],
        }),
      },
      'PERMISSION_NOT_ALLOWED',
    ],
    [
      'limits above the policy maximum',
      { metadata: sampleMetadata({ limits: { memoryMb: 4096 } }) },
      'POLICY_VIOLATION',
    ],
    [
      'code with a static import',
      { code: "import fs from 'node:fs';\nexport default {};" },
      'INVALID_ARTIFACT',
    ],
  ])('refuses %s, stores nothing and audits the refusal', async (_name, change, code) => {
    const request = {
      id: 'p1',
      version: '1.0.0',
      code: SAMPLE_CODE,
      metadata: sampleMetadata(),
      signature: h.signed(),
      ...change,
    };
    if ('code' in change && change.code) request.signature = h.signed(change.code);

    await expect(h.serviceFor().installPlugin(request as never)).rejects.toMatchObject({ code });

    expect(h.installations.items.size).toBe(0);
    expect(h.outbox.records.find((record) => record.action === 'plugin:install')).toMatchObject({
      outcome: 'refused',
      code,
    });
  });

  it('records a signature refusal as a security event too, as the marketplace does', async () => {
    const request = { id: 'p1', version: '1.0.0', code: SAMPLE_CODE, metadata: sampleMetadata() };

    await expect(
      h.serviceFor().installPlugin({ ...request, signature: h.signed('other bytes') } as never),
    ).rejects.toMatchObject({ code: 'SIGNATURE_INVALID' });

    expect(h.outbox.records.map((record) => [record.action, record.actor])).toEqual([
      ['plugin:install', 't-acme/admin-1'],
      ['security:release-verification-failed', 't-acme/admin-1'],
    ]);
  });

  it('names the advisory that refused a vulnerable dependency', async () => {
    const metadata = sampleMetadata({ dependencies: [{ name: 'minimist', version: '1.2.5' }] });

    const attempt = h
      .serviceFor()
      .installPlugin({ id: 'p1', version: '1.0.0', code: SAMPLE_CODE, metadata, signature: h.signed() });

    await expect(attempt).rejects.toMatchObject({
      field: 'metadata.dependencies.0',
      message: expect.stringContaining('GHSA-5rrq-pxf6-6jx5'),
    });
  });

  it('refuses publisher-signed direct installs when the tenant admits platform signatures only', async () => {
    h.setPolicy('t-acme', { minimumSignatureLevel: 'platform', trustedPublisherKeyIds: ['pub-key-1'] });

    const attempt = h.serviceFor().installPlugin({
      id: 'p1',
      version: '1.0.0',
      code: SAMPLE_CODE,
      metadata: sampleMetadata(),
      signature: h.signed(),
    });

    await expect(attempt).rejects.toMatchObject({
      code: 'POLICY_VIOLATION',
      message: expect.stringContaining('minimumSignatureLevel'),
    });
    expect(h.outbox.records.slice(-2)).toEqual([
      expect.objectContaining({ action: 'plugin:install', outcome: 'refused', code: 'POLICY_VIOLATION' }),
      expect.objectContaining({
        action: 'security:policy-refusal',
        outcome: 'refused',
        code: 'POLICY_VIOLATION',
      }),
    ]);
  });

  it('trusts by default the keys a tenant registered itself, and no other publisher’s', async () => {
    const own = createPublisherKeyPair();
    await h.publisherKeys.register({
      keyId: 'globex-own-key',
      publisherId: 't-globex',
      publicKeyPem: own.publicKeyPem,
      createdAt: new Date().toISOString(),
    });
    const request = (keyId: string, signature: string) => ({
      id: 'in-house',
      version: '1.0.0',
      code: SAMPLE_CODE,
      metadata: sampleMetadata(),
      signature: { keyId, signature },
    });

    const installed = await h
      .serviceFor('t-globex')
      .installPlugin(request('globex-own-key', own.sign(SAMPLE_CODE)));
    const foreign = h
      .serviceFor('t-globex')
      .installPlugin({ ...request('pub-key-1', h.signed().signature), id: 'foreign' });

    expect(installed.provenance).toMatchObject({ kind: 'publisher', publisherId: 't-globex' });
    await expect(foreign).rejects.toMatchObject({
      code: 'UNTRUSTED_PUBLISHER_KEY',
      field: 'signature.keyId',
    });
  });

  it('refuses a direct install or update signed with a revoked key the tenant trusts', async () => {
    await h.installSample('p1', '1.0.0');
    await h.publisherKeys.revoke('pub-key-1', { revokedAt: new Date().toISOString() });

    const install = h.installSample('p2', '1.0.0');
    const update = h.serviceFor().updatePlugin('p1', '1.1.0', {
      code: SAMPLE_CODE,
      metadata: sampleMetadata(),
      signature: h.signed(),
    });

    await expect(install).rejects.toMatchObject({ code: 'PUBLISHER_KEY_REVOKED', field: 'signature.keyId' });
    await expect(update).rejects.toMatchObject({ code: 'PUBLISHER_KEY_REVOKED' });
  });

  it('keeps a revoked key an untrusted key to a tenant that never trusted it', async () => {
    await h.publisherKeys.revoke('pub-key-1', { revokedAt: new Date().toISOString() });
    h.setPolicy('t-globex', { minimumSignatureLevel: 'publisher' });

    const attempt = h.installSample('p1', '1.0.0', 't-globex');

    await expect(attempt).rejects.toMatchObject({ code: 'UNTRUSTED_PUBLISHER_KEY' });
  });

  it('installs a marketplace release by its platform-signed statement and refuses a tampered artifact', async () => {
    const { statement, code, metadata } = await h.publishRelease('sched', '1.0.0');

    const installed = await h
      .serviceFor()
      .installPlugin({ id: 'sched', version: '1.0.0', code, metadata, release: statement });
    const tampered = h.serviceFor('t-globex').installPlugin({
      id: 'sched',
      version: '1.0.0',
      code: `${code}\n// extra`,
      metadata,
      release: statement,
    });

    expect(installed).toMatchObject({ source: 'marketplace', provenance: { kind: 'platform' } });
    await expect(tampered).rejects.toMatchObject({ code: 'SIGNATURE_INVALID', field: 'code' });
  });

  it('refuses a yanked marketplace version', async () => {
    const { statement, code, metadata } = await h.publishRelease('old', '1.0.0', SAMPLE_CODE, 'yanked');

    const attempt = h
      .serviceFor()
      .installPlugin({ id: 'old', version: '1.0.0', code, metadata, release: statement });

    await expect(attempt).rejects.toMatchObject({ code: 'VERSION_YANKED' });
  });

  describe('state machine', () => {
    beforeEach(async () => {
      await h.installSample('p1', '1.0.0');
    });

    it('moves installed → enabled ⇄ disabled → uninstalled', async () => {
      const service = h.serviceFor();

      await service.enablePlugin('p1', ['read:patients']);
      await service.disablePlugin('p1');
      await service.enablePlugin('p1');
      await service.disablePlugin('p1');
      await service.uninstallPlugin('p1');

      await expect(service.getPlugin('p1')).rejects.toMatchObject({ code: 'PLUGIN_NOT_FOUND' });
      expect(h.deletedStorage).toEqual(['t-acme/p1']);
    });

    it.each([
      ['disable an installed plugin', (s: ReturnType<Harness['serviceFor']>) => s.disablePlugin('p1')],
      [
        'enable twice',
        async (s: ReturnType<Harness['serviceFor']>) => {
          await s.enablePlugin('p1');
          await s.enablePlugin('p1');
        },
      ],
      [
        'uninstall an enabled plugin',
        async (s: ReturnType<Harness['serviceFor']>) => {
          await s.enablePlugin('p1');
          await s.uninstallPlugin('p1');
        },
      ],
    ])('answers ILLEGAL_TRANSITION to: %s', async (_name, act) => {
      await expect(act(h.serviceFor())).rejects.toMatchObject({ code: 'ILLEGAL_TRANSITION' });
    });

    it('refuses grants beyond what the manifest requests', async () => {
      await expect(h.serviceFor().enablePlugin('p1', ['write:patients'])).rejects.toMatchObject({
        code: 'VALIDATION_FAILED',
        field: 'grants.0',
      });
    });

    it('keeps other tenants out: their view of the plugin is not found', async () => {
      await expect(h.serviceFor('t-globex').getPlugin('p1')).rejects.toMatchObject({
        code: 'PLUGIN_NOT_FOUND',
      });
      await expect(h.serviceFor('t-globex').uninstallPlugin('p1')).rejects.toMatchObject({
        code: 'PLUGIN_NOT_FOUND',
      });
    });

    it('keeps the plugin storage on uninstall when the policy says so', async () => {
      h.setPolicy('t-acme', {
        minimumSignatureLevel: 'publisher',
        trustedPublisherKeyIds: ['pub-key-1'],
        uninstallStorage: 'keep',
      });

      await h.serviceFor().uninstallPlugin('p1');

      expect(h.deletedStorage).toEqual([]);
    });
  });

  describe('updates', () => {
    const update = (
      version: string,
      metadata = sampleMetadata(),
      code = `${SAMPLE_CODE}// ${version}\n`,
    ) => ({
      code,
      metadata,
      signature: h.signed(code),
    });

    beforeEach(async () => {
      await h.installSample('p1', '1.2.0');
      await h.serviceFor().enablePlugin('p1');
    });

    it('moves forward and keeps the plugin enabled when no new permission is asked for', async () => {
      const updated = await h.serviceFor().updatePlugin('p1', '1.3.0', update('1.3.0'));

      expect(updated).toMatchObject({ version: '1.3.0', state: 'enabled' });
      expect(h.eventNames()).toContain('plugin:updated');
    });

    it('refuses a downgrade unless asked for, and audits a deliberate one', async () => {
      await expect(h.serviceFor().updatePlugin('p1', '1.1.0', update('1.1.0'))).rejects.toMatchObject({
        code: 'DOWNGRADE_REFUSED',
      });

      const rolledBack = await h
        .serviceFor()
        .updatePlugin('p1', '1.1.0', { ...update('1.1.0'), allowDowngrade: true });

      expect(rolledBack.version).toBe('1.1.0');
      expect(h.outbox.records.at(-1)).toMatchObject({
        action: 'plugin:update',
        outcome: 'success',
        reason: 'deliberate-downgrade',
      });
    });

    it('leaves the plugin disabled until new permissions are approved', async () => {
      const wider = sampleMetadata({
        permissions: ['read:patients', 'write:appointments', 'write:patients'],
      });

      const updated = await h.serviceFor().updatePlugin('p1', '2.0.0', update('2.0.0', wider));

      expect(updated).toMatchObject({ state: 'disabled', stateReason: 'awaiting-consent' });
      expect(updated.grants?.permissions).toEqual(['read:patients', 'write:appointments']);
      expect((await h.serviceFor().enablePlugin('p1')).grants?.permissions).toContain('write:patients');
    });

    it('updates from a marketplace release by version alone', async () => {
      await h.serviceFor('t-globex').installPlugin({ ...(await marketplaceInstall(h, 'sched', '1.0.0')) });
      await h.publishRelease('sched', '1.1.0', `${SAMPLE_CODE}// 1.1.0\n`);

      const updated = await h.serviceFor('t-globex').updatePlugin('sched', '1.1.0');

      expect(updated).toMatchObject({ version: '1.1.0', source: 'marketplace' });
    });
  });

  it('disables a never-enabled plugin when the platform revokes it, and says why', async () => {
    await h.installSample('p1', '1.0.0');

    const disabled = await h
      .serviceFor('t-acme', 'platform:revocation')
      .disablePlugin('p1', { reason: 'revoked' });

    expect(disabled).toMatchObject({ state: 'disabled', stateReason: 'revoked' });
    expect(h.outbox.events().find((event) => event.name === 'plugin:disabled')?.detail).toMatchObject({
      reason: 'revoked',
    });
  });

  it('commits an enable with its record and event, so an unavailable standalone outbox cannot fail it', async () => {
    await h.installSample('p1', '1.0.0');
    h.outbox.failAppends = 3;

    const enabled = await h.serviceFor().enablePlugin('p1');

    expect(enabled.state).toBe('enabled');
    expect((await h.installations.get(h.tenantId, 'p1' as never))?.state).toBe('enabled');
    expect(h.outbox.records.at(-1)).toMatchObject({
      action: 'plugin:enable',
      outcome: 'success',
      actor: 't-acme/admin-1',
      version: '1.0.0',
    });
    expect(h.outbox.events('plugin:enabled')).toHaveLength(1);
    expect(h.outbox.failAppends).toBe(3);
  });

  it('fails closed: a refusal whose record the outbox keeps refusing answers AUDIT_UNAVAILABLE', async () => {
    h.outbox.failAppends = 3;

    await expect(h.serviceFor().enablePlugin('missing')).rejects.toMatchObject({
      code: 'AUDIT_UNAVAILABLE',
    });
    expect(h.outbox.records).toEqual([]);
  });

  it('leaves no success record, event nor listener call when the change does not commit', async () => {
    await h.installSample('p1', '1.0.0');
    const heard: string[] = [];
    const service = h.serviceFor().on('plugin:enabled', (detail) => heard.push(detail.pluginId));
    const stored = await h.installations.get(h.tenantId, 'p1' as never);
    // Another writer moves the installation on between the read and the conditional write.
    const update = h.installations.update.bind(h.installations);
    h.installations.update = async (installation, outbox) => {
      if (stored) await update({ ...stored, revision: stored.revision + 1 }, []);
      return update(installation, outbox);
    };

    await expect(service.enablePlugin('p1')).rejects.toMatchObject({ code: 'CONCURRENT_MODIFICATION' });

    expect(h.outbox.records.filter((record) => record.action === 'plugin:enable')).toEqual([
      expect.objectContaining({ outcome: 'refused', code: 'CONCURRENT_MODIFICATION' }),
    ]);
    expect(h.outbox.events('plugin:enabled')).toEqual([]);
    expect(heard).toEqual([]);
  });

  it('fails an install whose write fails for another reason, recording only the failure', async () => {
    h.installations.create = async () => {
      throw Object.assign(new Error('store down'), { name: 'InternalServerError' });
    };

    await expect(h.installSample('p1', '1.0.0')).rejects.toThrow('store down');

    expect(h.outbox.records).toEqual([
      expect.objectContaining({ action: 'plugin:install', outcome: 'failure', code: 'INTERNAL_ERROR' }),
    ]);
    expect(h.outbox.events()).toEqual([]);
  });

  it('names platform actors as platform:<component> in the audit trail', async () => {
    await h.installSample('p1', '1.0.0');

    await h.serviceFor('t-acme', 'platform:revocation').disablePlugin('p1', { reason: 'revoked' });

    expect(h.outbox.records.slice(-2)).toEqual([
      expect.objectContaining({ action: 'plugin:disable', actor: 'platform:revocation' }),
      expect.objectContaining({
        action: 'security:plugin-stopped-by-platform',
        actor: 'platform:revocation',
      }),
    ]);
  });
});

async function marketplaceInstall(h: Harness, id: string, version: string) {
  const { statement, code, metadata } = await h.publishRelease(id, version);
  return { id, version, code, metadata, release: statement };
}
