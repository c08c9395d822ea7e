import { beforeEach, describe, expect, it } from 'vitest';
import { createLifecycleHarness } from '../../../../support/lifecycle-harness.ts';

type Harness = Awaited<ReturnType<typeof createLifecycleHarness>>;

describe('installFrom: verified-publishers-only', () => {
  let h: Harness;

  beforeEach(async () => {
    h = await createLifecycleHarness();
    h.setPolicy(h.tenantId, {
      installFrom: 'verified-publishers-only',
      trustedPublisherKeyIds: ['pub-key-1'],
    });
  });

  const installFromMarketplace = async (pluginId: string, version = '1.0.0') => {
    const { statement, code, metadata } = await h.publishRelease(pluginId, version);
    return h.serviceFor().installPlugin({ id: pluginId, version, code, metadata, release: statement });
  };

  it('refuses a marketplace install from an unverified publisher, audited as a policy refusal', async () => {
    h.catalogue.publishers.set('acme-labs', { publisherId: 'acme-labs', isVerified: false });

    await expect(installFromMarketplace('lab-viewer')).rejects.toMatchObject({
      code: 'PUBLISHER_NOT_VERIFIED',
    });

    expect(h.outbox.records.map(({ action, outcome, code }) => ({ action, outcome, code }))).toEqual([
      { action: 'plugin:install', outcome: 'refused', code: 'PUBLISHER_NOT_VERIFIED' },
      { action: 'security:policy-refusal', outcome: 'refused', code: 'PUBLISHER_NOT_VERIFIED' },
    ]);
    expect(await h.installations.get(h.tenantId, 'lab-viewer' as never)).toBeUndefined();
  });

  it('refuses a publisher with no profile at all', async () => {
    await expect(installFromMarketplace('lab-viewer')).rejects.toMatchObject({
      code: 'PUBLISHER_NOT_VERIFIED',
    });
  });

  it('admits the same install once the publisher is verified', async () => {
    h.catalogue.publishers.set('acme-labs', { publisherId: 'acme-labs', isVerified: true });

    await expect(installFromMarketplace('lab-viewer')).resolves.toMatchObject({ source: 'marketplace' });
  });

  it('refuses a marketplace update after the verification was revoked', async () => {
    h.catalogue.publishers.set('acme-labs', { publisherId: 'acme-labs', isVerified: true });
    await installFromMarketplace('lab-viewer', '1.0.0');
    await h.publishRelease('lab-viewer', '1.1.0');
    h.catalogue.publishers.set('acme-labs', { publisherId: 'acme-labs', isVerified: false });

    await expect(h.serviceFor().updatePlugin('lab-viewer', '1.1.0')).rejects.toMatchObject({
      code: 'PUBLISHER_NOT_VERIFIED',
    });
  });

  it('leaves direct installs to the signature rules, and the default policy admits anyone', async () => {
    await expect(h.installSample('direct-one')).resolves.toMatchObject({ source: 'direct' });
    h.setPolicy(h.tenantId, { installFrom: 'any', trustedPublisherKeyIds: ['pub-key-1'] });

    await expect(installFromMarketplace('lab-viewer')).resolves.toMatchObject({ source: 'marketplace' });
  });
});
